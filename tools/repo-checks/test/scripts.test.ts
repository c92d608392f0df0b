import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runProcess } from "@mass-ingest/testkit/process";

const root = fileURLToPath(new URL("../../..", import.meta.url));

describe("the repository's own scripts", () => {
  it("scripts/run.sh keeps stdout for the run: set-up noise goes to stderr", async () => {
    const r = await runProcess("bash", ["scripts/run.sh", "--help"], { cwd: root, timeoutMs: 280_000 });
    expect(r.code, r.stderr).toBe(0);
    // Only the processor's own help on stdout: no pnpm install lines ("Lockfile is up to date", "Done in ..."), no Nx output.
    expect(r.stdout.trimStart()).toMatch(/^Usage: mass-ingest-processor/);
    expect(r.stdout).not.toMatch(/Lockfile|Done in|nx run|pnpm/i);
    // Now that the install and the build are current, a second run skips set-up and the build altogether.
    const again = await runProcess("bash", ["scripts/run.sh", "--help"], { cwd: root, timeoutMs: 60_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trimStart()).toMatch(/^Usage: mass-ingest-processor/);
    expect(again.stderr).not.toMatch(/setup|Lockfile|nx run|setting up/i);
  });

  it("scripts/check-structure.mjs passes: small rooms, explicit index exports, no document named from outside", async () => {
    const r = await runProcess(process.execPath, ["scripts/check-structure.mjs"], { cwd: root, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("structure ok");
  });
});

describe("scripts/run-ready.mjs: when run.sh may skip set-up", () => {
  const tree = mkdtempSync(join(tmpdir(), "run-ready-"));
  afterAll(() => rmSync(tree, { recursive: true, force: true }));
  let clock = Date.now() / 1000 - 10_000;
  /** Writes a file with an mtime later than every file written before it. */
  const put = (path: string, text = "{}") => {
    const file = join(tree, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    clock += 10;
    utimesSync(file, clock, clock);
  };
  const manifest = (name: string, deps: string[] = []) =>
    JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, "workspace:^"])) });
  const ready = () => runProcess(process.execPath, [join(root, "scripts/run-ready.mjs"), tree], { cwd: tree, timeoutMs: 30_000 });

  it("ready only when the install follows the lockfile and every package the processor imports was built after its sources", async () => {
    expect((await ready()).stderr).toMatch(/nothing is installed yet/);
    put("pnpm-lock.yaml", "lockfileVersion: '9.0'");
    put("apps/processor/package.json", manifest("@x/processor-app", ["@x/core"]));
    put("apps/processor/src/main.ts", "");
    put("packages/core/package.json", manifest("@x/core"));
    put("packages/core/src/index.ts", "");
    put("packages/other/package.json", manifest("@x/other"));
    put("node_modules/.pnpm/lock.yaml", "lockfileVersion: '9.0'");
    expect((await ready()).stderr).toMatch(/the processor is not built yet/);
    put("apps/processor/dist/main.js", "");
    expect((await ready()).stderr).toMatch(/packages\/core is not built yet/);
    put("packages/core/dist/index.js", "");
    const ok = await ready();
    expect(ok.code, ok.stderr).toBe(0);
    // A package the processor does not import never asks for a build.
    put("packages/other/src/index.ts", "");
    expect((await ready()).code).toBe(0);
    put("packages/core/src/index.ts", "export {};");
    const edited = await ready();
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain("packages/core/src/index.ts changed since packages/core was built");
    put("packages/core/dist/index.js", "");
    expect((await ready()).code).toBe(0);
    put("pnpm-lock.yaml", "lockfileVersion: '9.0' # changed");
    expect((await ready()).stderr).toMatch(/pnpm-lock\.yaml changed since the last install/);
  });
});
