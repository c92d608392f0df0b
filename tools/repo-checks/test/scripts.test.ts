import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runProcess } from "@mass-ingest/testkit/process";

const root = fileURLToPath(new URL("../../..", import.meta.url));

describe("the repository's own scripts", () => {
  it("scripts/run.sh keeps stdout for the run: set-up noise goes to stderr", async () => {
    const r = await runProcess("bash", ["scripts/run.sh", "--help"], { cwd: root, timeoutMs: 280_000 });
    expect(r.code, r.stderr).toBe(0);
    // Only the processor's own help on stdout: no pnpm install lines ("Lockfile is up to date", "Done in ..."), no Nx output.
    expect(r.stdout.trimStart()).toMatch(/^Usage: mass-ingest-processor/);
    expect(r.stdout).not.toMatch(/Lockfile|Done in|nx run|pnpm/i);
  });

  it("scripts/check-structure.mjs passes: small rooms, explicit index exports, no document named from outside", async () => {
    const r = await runProcess(process.execPath, ["scripts/check-structure.mjs"], { cwd: root, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("structure ok");
  });
});
