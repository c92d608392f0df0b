// The built app (tsup bundle of src/main.ts and the workspace libraries) as a real process, against loopback servers.
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  createModStandIn,
  runProcess,
  startGitServer,
  startNginx,
  type GitServer,
  type ModStandIn,
  type Nginx,
  type ProcessResult,
} from "@mass-ingest/testkit";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appDir = fileURLToPath(new URL("..", import.meta.url));
let dir: string;
let bundle: string;
let git: GitServer;
let nginx: Nginx;
let mod: ModStandIn;
let csv: string;
let jdks: string;

/** The app's bundle with every dependency inlined, so it runs from a temp folder like an installed bin. */
async function buildApp(outDir: string): Promise<string> {
  await build({
    entry: { main: path.join(appDir, "src/main.ts") },
    outDir,
    format: ["esm"],
    noExternal: [/.*/],
    platform: "node",
    target: "node20",
    config: false,
    silent: true,
    tsconfig: path.join(appDir, "tsconfig.json"),
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __doctorRequire } from 'node:module';\nconst require = __doctorRequire(import.meta.url);",
    },
  });
  return path.join(outDir, "main.js");
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "doctor-app-"));
  [bundle, git, nginx] = await Promise.all([buildApp(path.join(dir, "dist")), startGitServer(), startNginx()]);
  mod = createModStandIn();
  await git.createRepo("org/app");
  jdks = path.join(dir, "jdks");
  await mkdir(path.join(jdks, "jdk-17", "bin"), { recursive: true });
  await writeFile(path.join(jdks, "jdk-17", "bin", "java"), "#!/bin/sh\necho 'openjdk version \"17.0.9\"' >&2\n");
  await chmod(path.join(jdks, "jdk-17", "bin", "java"), 0o755);
  csv = path.join(dir, "repos.csv");
  await writeFile(csv, `cloneUrl,branch,java\n${git.httpUrl("org/app")},main,17\n`);
});
afterAll(async () => {
  await Promise.all([git?.stop(), nginx?.stop()]);
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The processor's environment: nothing from this machine's PUBLISH_* / GIT_* settings leaks in. */
function env(extra: Record<string, string>): Record<string, string | undefined> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(PUBLISH_|GIT_|S3_|MOD_|MODERNE_|DATA_DIR$|JAVA_HOME$)/.test(k)),
  );
  return {
    ...clean,
    ...mod.env,
    MOD_CLI: mod.command,
    PUBLISH_URL: `${nginx.url}/maven`,
    PUBLISH_USER: nginx.user,
    DATA_DIR: path.join(dir, "data"),
    ...extra,
  };
}

const thresholds = ["--disk-warn-gib", "0", "--disk-fail-gib", "0", "--memory-warn-gib", "0", "--memory-fail-gib", "0"];

function doctor(args: string[], extra: Record<string, string> = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [bundle, "doctor", ...args], { cwd: dir, env: env(extra) });
}

describe("mass-ingest doctor (built app)", () => {
  it("exits 0 when nothing failed, one aligned line per check", async () => {
    const r = await doctor([csv, "--state", path.join(dir, "state"), "--jdk-root", jdks, ...thresholds], {
      PUBLISH_PASSWORD: nginx.password,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    for (const title of [
      "secrets",
      "repos.csv",
      "Moderne CLI",
      "JDKs",
      "git",
      "git-lfs",
      "ssh",
      "free disk",
      "memory",
      "git hosts",
      "artifact store",
      "state store",
      "DATA_DIR",
    ]) {
      expect(
        lines.some((l) => new RegExp(`^(PASS|WARN) {2}${title} +\\S`).test(l)),
        title,
      ).toBe(true);
    }
    expect(r.stdout).toMatch(/^PASS {2}git hosts +1 host answered/m);
    expect(lines.at(-1)).toMatch(/^13 checks: \d+ pass, \d+ warn, 0 fail, 0 skip$/);
  });

  it("exits 1 on a fail and names it, password never printed; --json gives checks, counts and the exit code", async () => {
    const secret = "wrong-password-for-nginx";
    const r = await doctor([csv, "--jdk-root", jdks, "--only", "csv,artifact-store,git-hosts"], { PUBLISH_PASSWORD: secret });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}artifact store {2}PUT .* answered HTTP 401/m);
    expect(r.stdout).toMatch(/^ +fix: Check PUBLISH_USER/m);
    const json = await doctor([csv, "--json", "--only", "artifact-store,jdks", "--jdk-root", path.join(dir, "no-jdks")], {
      PUBLISH_PASSWORD: secret,
    });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.exitCode).toBe(1);
    expect(doc.counts).toEqual({ pass: 0, warn: 0, fail: 2, skip: 0 });
    expect(doc.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual(["jdks:fail", "artifact-store:fail"]);
    expect(doc.checks[0].detail).toContain("missing JDK 17 (1 row)");
    expect(`${r.stdout}${json.stdout}`).not.toContain(secret);
  });

  it("exits 2 for bad arguments, 0 for --help", async () => {
    expect((await doctor(["--only", "nope"])).code).toBe(2);
    expect((await doctor(["--disk-warn-gib", "lots"])).code).toBe(2);
    const inverted = await doctor(["--disk-warn-gib", "5", "--disk-fail-gib", "10"]);
    expect(inverted.code).toBe(2);
    expect(inverted.stderr).toContain("--disk-fail-gib must not be above --disk-warn-gib");
    const help = await doctor(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--json");
  });
});
