import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grade } from "../../src/checks/resources.js";
import { cleanupDirs, runCheck, tempDir, writeCsv } from "../helpers.js";

let mod: ModStandIn;

beforeAll(() => {
  mod = createModStandIn({ config: { version: "Moderne CLI 3.9.9-doctor" } });
});
afterAll(async () => {
  mod?.cleanup();
  await cleanupDirs();
});

describe("Moderne CLI check", () => {
  it("passes with the version of MOD_CLI", async () => {
    const r = await runCheck("mod-cli", { env: { MOD_CLI: mod.command } }, { processEnv: { ...process.env, ...mod.env } });
    expect(r).toMatchObject({ status: "pass", detail: `Moderne CLI 3.9.9-doctor (MOD_CLI: ${mod.command})` });
  });

  it("finds `mod` on PATH", async () => {
    const r = await runCheck("mod-cli", {}, { processEnv: { ...process.env, ...mod.env, PATH: `${mod.binDir}:${process.env.PATH}` } });
    expect(r.detail).toContain("(PATH: ");
  });

  it("fails when MOD_CLI is no executable", async () => {
    const r = await runCheck("mod-cli", { env: { MOD_CLI: "/nonexistent/mod" } });
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("MOD_CLI=/nonexistent/mod is not an executable file");
  });

  it("fails when `mod --version` fails", async () => {
    const r = await runCheck("mod-cli", { env: { MOD_CLI: "false" } });
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("`false --version` exited 1");
  });
});

describe("git, git-lfs and ssh checks", () => {
  it("passes for git with its version", async () => {
    expect((await runCheck("git", {})).detail).toMatch(/^git version \d/);
  });

  it("fails for missing git, warns for missing git-lfs and ssh unless the csv clones over ssh", async () => {
    const noPath = { ...process.env, PATH: await tempDir() };
    expect((await runCheck("git", {}, { processEnv: noPath })).status).toBe("fail");
    expect((await runCheck("git-lfs", {}, { processEnv: noPath })).status).toBe("warn");
    expect((await runCheck("ssh", {}, { processEnv: noPath })).status).toBe("warn");
    const csv = await writeCsv(await tempDir(), ["ssh://git@example.invalid/org/a.git,main,"]);
    const ssh = await runCheck("ssh", { csv }, { processEnv: noPath });
    expect(ssh).toMatchObject({ status: "fail", detail: "`ssh -V` not found on PATH" });
  });
});

describe("disk and memory checks", () => {
  it("grade: pass at or above warn, warn below it, fail below fail", () => {
    expect([grade(20, 20, 5), grade(19, 20, 5), grade(4, 20, 5)]).toEqual(["pass", "warn", "fail"]);
  });

  it("pass, warn and fail by the configured thresholds", async () => {
    const dataDir = await tempDir();
    const none = { diskWarnBytes: 0, diskFailBytes: 0, memoryWarnBytes: 0, memoryFailBytes: 0 };
    expect((await runCheck("disk", { dataDir, thresholds: none })).status).toBe("pass");
    expect((await runCheck("memory", { thresholds: none })).status).toBe("pass");
    const huge = 2 ** 60;
    expect((await runCheck("disk", { dataDir, thresholds: { diskWarnBytes: huge } })).status).toBe("warn");
    const fail = await runCheck("disk", { dataDir, thresholds: { diskWarnBytes: huge, diskFailBytes: huge } });
    expect(fail.status).toBe("fail");
    expect(fail.detail).toContain(`free on ${dataDir}`);
    expect((await runCheck("memory", { thresholds: { memoryWarnBytes: huge, memoryFailBytes: huge } })).status).toBe("fail");
  });
});
