import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedGitEnv } from "../src/git.js";
import { startGitServer, type CreatedRepo, type GitServer } from "../src/git-server.js";
import { createModStandIn, type ModStandIn, type StandInConfig } from "../src/mod-standin.js";
import { startNginx, type Nginx } from "../src/nginx.js";
import { runProcess } from "../src/process.js";

// Export order of trace.csv as the CLI documents it (trace-csv.md), written out here independently of the stand-in.
const SYNC =
  "origin,path,branch,developer,syncOutcome,syncCloneUri,syncLstDownloadUri,syncStartTime,syncEndTime,syncChangeset,syncElapsedTimeMs";
const BUILD =
  "buildOutcome,buildStartTime,buildEndTime,buildId,buildDependencyResolutionTimeMs,buildChangeset,buildMavenVersion," +
  "buildGradleVersion,buildBazelVersion,buildDotnetVersion,buildPythonVersion,buildNodeVersion,buildOsName,buildOsVersion," +
  "buildOsEol,buildGitAutocrlf,buildGitEol,buildSourceFileCount,buildLineCount,buildParseErrorCount,buildWeight,buildMaxWeight," +
  "buildMaxWeightSourceFile,buildCliVersion,buildElapsedTimeMs";
const PUBLISH = "publishOutcome,publishStartTime,publishEndTime,publishId,publishUri,publishElapsedTimeMs";
const cols = (...groups: string[]) => groups.join(",").split(",");

describe("mod stand-in: trace.csv, repos-lock.csv, partial failure, the build hook", () => {
  let git: GitServer;
  let nginx: Nginx;
  let mod: ModStandIn;
  let tmp: string;
  const repos: Record<string, CreatedRepo> = {};

  beforeAll(async () => {
    [git, nginx] = await Promise.all([startGitServer(), startNginx()]);
    mod = createModStandIn();
    tmp = await mkdtemp(path.join(os.tmpdir(), "mod-standin-trace-"));
    repos.maven = await git.createRepo("acme/maven", {
      files: {
        "pom.xml": "<project/>\n",
        ".mvn/wrapper/maven-wrapper.properties": "distributionUrl=https://repo.example/apache-maven/3.8.8/apache-maven-3.8.8-bin.zip\n",
        "src/A.java": "class A {\n}\n",
      },
    });
    repos.gradle = await git.createRepo("acme/gradle", { files: { "build.gradle": "plugins {}\n" } });
    repos.broken = await git.createRepo("acme/broken", { files: { "pom.xml": "<project/>\n" } });
    repos.hooked = await git.createRepo("acme/hooked", {
      files: { ".standin-build.sh": 'echo "hook pwd=$PWD uid=$(id -u) probe=$HOOK_PROBE"\necho "hook stderr" >&2\n' },
    });
    repos.evil = await git.createRepo("acme/evil", { files: { ".standin-build.sh": "echo evil was here\nexit 3\n" } });
  });
  afterAll(async () => {
    await Promise.all([git?.stop(), nginx?.stop()]);
    mod?.cleanup();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const env = () => ({ ...process.env, ...isolatedGitEnv(), ...mod.env, NO_COLOR: "true", TERM: "dumb", HOOK_PROBE: "probe-1" });
  const run = (args: string[], config?: StandInConfig, extraEnv: Record<string, string> = {}) => {
    if (config) mod.setConfig(config);
    return runProcess(mod.command, args, { cwd: tmp, env: { ...env(), ...extraEnv } });
  };
  /** A workspace synced from a csv of these repositories (plus org1 = Acme). */
  async function workspace(name: string, names: string[]) {
    const dir = path.join(tmp, name);
    const csv = path.join(tmp, `${name}.csv`);
    const lines = names.map((n) => `${git.httpUrl(n)},main,127.0.0.1,${n},Acme`);
    await writeFile(csv, ["cloneUrl,branch,origin,path,org1", ...lines].join("\n") + "\n");
    return { dir, csv };
  }
  const outcomes = (rows: Record<string, string>[], column: string) => Object.fromEntries(rows.map((r) => [r.path, r[column]]));

  it("writes one trace row per repository in the CLI's column order, Sync then Build then Publish", async () => {
    const { dir, csv } = await workspace("mixed", ["acme/maven", "acme/gradle", "acme/broken", "acme/missing"]);
    mod.setConfig({ buildMs: 1, failBuild: ["acme/broken"], parseErrors: { "acme/gradle": 2 }, partialExit: 0 });
    expect((await run(["git", "sync", "csv", dir, csv, "--with-sources", "--trace-tag", "night=7"])).code).toBe(1);
    const sync = mod.trace(dir, "sync")!;
    expect(sync.columns).toEqual([...cols(SYNC), "organization", "tag.night", "syncLog"]);
    expect(outcomes(sync.rows, "syncOutcome")).toEqual({
      "acme/maven": "Succeeded",
      "acme/gradle": "Succeeded",
      "acme/broken": "Succeeded",
      "acme/missing": "Failed",
    });
    const maven = sync.rows.find((r) => r.path === "acme/maven")!;
    expect(maven).toMatchObject({ origin: "127.0.0.1", branch: "main", syncChangeset: repos.maven!.head, organization: "Acme" });
    expect(maven["tag.night"]).toBe("7");

    const build = await run(["build", dir]);
    expect(build.code).toBe(0); // partialExit 0: one failed, others built
    expect(build.stdout).toMatch(/MOD PARTIALLY SUCCEEDED/);
    const trace = mod.trace(dir, "build")!;
    expect(trace.columns).toEqual([...cols(SYNC, BUILD), "organization", "syncLog", "buildLog"]);
    expect(outcomes(trace.rows, "buildOutcome")).toEqual({
      "acme/maven": "Succeeded",
      "acme/gradle": "Succeeded",
      "acme/broken": "Failed",
      "acme/missing": "Skipped",
    });
    const built = Object.fromEntries(trace.rows.map((r) => [r.path, r]));
    expect(built["acme/maven"]).toMatchObject({
      syncOutcome: "Succeeded",
      buildId: trace.id,
      buildChangeset: repos.maven!.head,
      buildMavenVersion: "3.8.8",
      buildGradleVersion: "",
      buildSourceFileCount: "3",
      buildParseErrorCount: "0",
      buildCliVersion: "4.9.2",
      organization: "Acme",
    });
    expect(built["acme/gradle"]).toMatchObject({ buildGradleVersion: "8.14.3", buildSourceFileCount: "1", buildParseErrorCount: "2" });
    expect(built["acme/broken"]!.buildChangeset).toBe(repos.broken!.head);
    expect(Number(built["acme/maven"]!.buildElapsedTimeMs)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(built["acme/maven"]!.buildEndTime!)).toBeGreaterThanOrEqual(Date.parse(built["acme/maven"]!.buildStartTime!));
    expect(await readFile(built["acme/broken"]!.buildLog!, "utf8")).toMatch(/BUILD FAILED/);

    await run(["config", "lsts", "artifacts", "maven", "add", nginx.url, "--user", nginx.user, "--password", nginx.password]);
    mod.setConfig({ failPublish: ["acme/gradle"] });
    expect((await run(["publish", dir])).code).toBe(1); // partialExit defaults to 1
    const publish = mod.trace(dir, "publish")!;
    expect(publish.columns).toEqual([...cols(SYNC, BUILD, PUBLISH), "organization", "syncLog", "buildLog", "publishLog"]);
    expect(outcomes(publish.rows, "publishOutcome")).toEqual({
      "acme/maven": "Succeeded",
      "acme/gradle": "Failed",
      "acme/broken": "Skipped",
    });
    const published = publish.rows.find((r) => r.path === "acme/maven")!;
    expect(published).toMatchObject({ buildOutcome: "Succeeded", buildChangeset: repos.maven!.head, publishId: publish.id });
    expect(published.publishUri).toBe((await mod.published()).at(-1)!.url);
    expect(publish.rows.find((r) => r.path === "acme/gradle")!.publishUri).toBe("");
  });

  it("keeps repos-lock.csv: csv columns from sync, build and publish fields added", async () => {
    const { dir, csv } = await workspace("locked", ["acme/maven", "acme/gradle", "acme/broken"]);
    mod.setConfig({ buildMs: 1, failBuild: ["acme/broken"], notReproducible: ["acme/gradle"] });
    await run(["git", "sync", "csv", dir, csv, "--with-sources"]);
    expect(mod.reposLock(dir)!.columns).toEqual(["cloneUrl", "branch", "origin", "path", "org1"]);
    expect(mod.reposLock(dir)!.rows.map((r) => r.path)).toEqual(["acme/maven", "acme/gradle", "acme/broken"]);
    await run(["build", dir]);
    const afterBuild = mod.reposLock(dir)!;
    expect(afterBuild.columns).toEqual([
      "cloneUrl",
      "branch",
      "origin",
      "path",
      "org1",
      "changeset",
      "status",
      "cliVersion",
      "reproducible",
    ]);
    const byPath = Object.fromEntries(afterBuild.rows.map((r) => [r.path, r]));
    expect(byPath["acme/maven"]).toMatchObject({
      changeset: repos.maven!.head,
      status: "Succeeded",
      cliVersion: "4.9.2",
      reproducible: "true",
    });
    expect(byPath["acme/gradle"]).toMatchObject({ status: "Succeeded", reproducible: "false" });
    expect(byPath["acme/broken"]).toMatchObject({ status: "Failed", changeset: repos.broken!.head });
    await run(["config", "lsts", "artifacts", "maven", "add", nginx.url, "--user", nginx.user, "--password", nginx.password]);
    expect((await run(["publish", dir])).code).toBe(0); // broken has no LST: Skipped, not a failure
    const lock = mod.reposLock(dir)!;
    expect(lock.columns.slice(-2)).toEqual(["publishUri", "publishTimestamp"]);
    const row = lock.rows.find((r) => r.path === "acme/maven")!;
    expect(row.publishUri).toMatch(new RegExp(`^${nginx.url}/acme/maven/`));
    expect(Number.isNaN(Date.parse(row.publishTimestamp!))).toBe(false);
    expect(lock.rows.find((r) => r.path === "acme/broken")!.publishUri).toBe("");
    // a later failed build clears the row's publish location
    await run(["build", dir], { buildMs: 1, failBuild: ["acme/maven"] });
    expect(mod.reposLock(dir)!.rows.find((r) => r.path === "acme/maven")).toMatchObject({ status: "Failed", publishUri: "" });
  });

  it("exits partialExit for a partly failed build (0 or 1), and 1 when every repository failed", async () => {
    const { dir, csv } = await workspace("partial", ["acme/maven", "acme/broken"]);
    await run(["git", "sync", "csv", dir, csv, "--with-sources"], { buildMs: 1 });
    expect((await run(["build", dir], { buildMs: 1, failBuild: ["acme/broken"], partialExit: 0 })).code).toBe(0);
    expect((await run(["build", dir], { buildMs: 1, failBuild: ["acme/broken"], partialExit: 1 })).code).toBe(1);
    expect((await run(["build", dir], { buildMs: 1, failBuild: ["acme/broken"] })).code).toBe(1);
    expect((await run(["build", dir], { buildMs: 1, failBuild: ["acme/"], partialExit: 0 })).code).toBe(1);
    expect((await run(["build", dir], { buildMs: 1, partialExit: 0 })).code).toBe(0);
    await run(["config", "lsts", "artifacts", "maven", "add", nginx.url, "--user", nginx.user, "--password", nginx.password]);
    expect((await run(["publish", dir], { failPublish: ["acme/broken"], partialExit: 0 })).code).toBe(0);
    expect((await run(["publish", dir], { failPublish: ["acme/broken"], partialExit: 1 })).code).toBe(1);
    expect(outcomes(mod.trace(dir, "publish")!.rows, "publishOutcome")).toEqual({ "acme/maven": "Succeeded", "acme/broken": "Failed" });
  });

  it("runs a checkout's .standin-build.sh with bash in the checkout, logging to build.log, failing on non-zero", async () => {
    const { dir, csv } = await workspace("hooks", ["acme/hooked", "acme/evil", "acme/gradle"]);
    await run(["git", "sync", "csv", dir, csv, "--with-sources"], { buildMs: 1 });
    expect((await run(["build", dir], { buildMs: 1, partialExit: 0 })).code).toBe(0);
    const rows = Object.fromEntries(mod.trace(dir, "build")!.rows.map((r) => [r.path, r]));
    expect(outcomes(Object.values(rows), "buildOutcome")).toEqual({
      "acme/evil": "Failed",
      "acme/gradle": "Succeeded",
      "acme/hooked": "Succeeded",
    });
    const log = await readFile(rows["acme/hooked"]!.buildLog!, "utf8");
    expect(log).toContain(`hook pwd=${path.join(dir, "acme/hooked")} uid=${process.getuid!()} probe=probe-1`);
    expect(log).toContain("hook stderr");
    expect(await readFile(rows["acme/evil"]!.buildLog!, "utf8")).toMatch(/evil was here\n[^]*exited 3/);
  });

  it("adds --trace-tag columns, can reverse the column order, and marks unfinished rows Canceled on SIGTERM", async () => {
    const { dir, csv } = await workspace("canceled", ["acme/maven", "acme/gradle"]);
    await run(["git", "sync", "csv", dir, csv, "--with-sources"], {});
    const extra = { traceExtraColumns: { buildFutureColumn: "x" } };
    await run(["build", dir, "--trace-tag=run=r1", "--trace-tag", "shard=2"], { buildMs: 1, traceColumnsReversed: true, ...extra });
    const tagged = mod.trace(dir, "build")!;
    expect(tagged.columns.slice(0, 2)).toEqual(["buildFutureColumn", "buildLog"]);
    expect(tagged.rows[0]!.buildFutureColumn).toBe("x");
    expect(tagged.rows.map((r) => [r["tag.run"], r["tag.shard"]])).toEqual([
      ["r1", "2"],
      ["r1", "2"],
    ]);
    mod.setConfig({ buildMsByRepo: { "acme/maven": 600_000 } });
    const child = spawn(mod.command, ["build", dir], { env: env(), stdio: "ignore" });
    const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    // acme/gradle builds first (sorted), then acme/maven takes long: stop it there
    const current = () => mod.trace(dir, "build");
    await expect.poll(() => (current()?.id !== tagged.id ? current()?.rows.length : -1), { timeout: 20_000 }).toBe(1);
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(outcomes(current()!.rows, "buildOutcome")).toEqual({ "acme/gradle": "Succeeded", "acme/maven": "Canceled" });
  });

  it("clones nothing without --with-sources, and publishes to a MOD_LSTS_ARTIFACTS_* store from 4.8.0", async () => {
    const { dir, csv } = await workspace("env-store", ["acme/gradle"]);
    expect((await run(["git", "sync", "csv", dir, csv], { buildMs: 1 })).code).toBe(0);
    expect(outcomes(mod.trace(dir, "sync")!.rows, "syncOutcome")).toEqual({ "acme/gradle": "Skipped" });
    expect(mod.reposLock(dir)!.rows.map((r) => r.path)).toEqual(["acme/gradle"]);
    await run(["git", "sync", "csv", dir, csv, "--with-sources"]);
    await run(["build", dir]);
    mod.reset();
    const store = { MOD_LSTS_ARTIFACTS_S3_URL: "s3://lsts/env", MOD_LSTS_ARTIFACTS_S3_ENDPOINTURL: "http://127.0.0.1:9" };
    const old = await run(["publish", dir], { version: "4.7.5" }, store);
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(/No artifact repository configured/);
    expect((await run(["publish", dir], {}, store)).code).toBe(0);
    expect(await mod.published()).toEqual([
      expect.objectContaining({ store: "s3", repo: "acme/gradle", url: expect.stringMatching(/^s3:\/\/lsts\/env\/acme\/gradle\//) }),
    ]);
  });
});
