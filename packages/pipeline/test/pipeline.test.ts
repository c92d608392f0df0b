import { existsSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import AdmZip from "adm-zip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, pidAlive, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { freePort } from "@mass-ingest/testkit/ports";
import { Redactor } from "@mass-ingest/core";
import {
  configureMod,
  ExecaModCli,
  HttpLogStore,
  logKeys,
  prepareGitAuth,
  runPipeline,
  workDirName,
  type PipelineEvent,
  type RunReport,
} from "../src/index.js";
import { processGroupAlive } from "../src/mod-cli.js";
import { groupOf, kind, rowsFor, tmp } from "./helpers.js";

let git: GitServer;
let nginx: Nginx;
let standIn: ModStandIn;
let dataRoot: string;
let closedPort: number;

/** The commit each fixture repository's default branch is at. */
const heads = new Map<string, string>();

beforeAll(async () => {
  [git, nginx] = await Promise.all([startGitServer(), startNginx()]);
  standIn = createModStandIn();
  dataRoot = await tmp("pipeline-run-");
  closedPort = await freePort();
  for (const name of ["acme/alpha", "acme/beta", "acme/broken", "acme/slow", "acme/hangs"])
    heads.set(name, (await git.createRepo(name)).head);
  heads.set("acme/secret", (await git.createRepo("acme/secret", { private: true, files: { "pom.xml": "<project/>\n" } })).head);
  for (let i = 0; i < 6; i++) await git.createRepo(`many/r${i}`);
});
afterAll(async () => {
  standIn?.cleanup();
  await Promise.all([git?.stop(), nginx?.stop()]);
  await rm(dataRoot, { recursive: true, force: true });
});

async function setup(name: string, options: { secrets?: string[]; gitCredentials?: string } = {}) {
  standIn.reset();
  const dataDir = path.join(dataRoot, name);
  const redactor = new Redactor(options.secrets ?? []);
  const gitEnv = options.gitCredentials
    ? await prepareGitAuth({ gitCredentials: options.gitCredentials, dir: path.join(dataDir, ".auth"), redactor })
    : {};
  const cli = new ExecaModCli({
    command: standIn.command,
    env: { ...process.env, ...standIn.env, ...gitEnv },
    redactor,
    killGraceMs: 1000,
  });
  return { dataDir, redactor, cli };
}

describe("runPipeline", () => {
  let report: RunReport;
  let reportFile: string;
  let dataDir: string;
  let events: PipelineEvent[];
  /** The work directory (folder name, by key) of each row of the run. */
  let dirOf: (row: number) => string;
  const password = nginxPassword();
  function nginxPassword() {
    return { value: "" };
  }

  beforeAll(async () => {
    password.value = nginx.password;
    const credentialsLine = `http://${git.credentials.user}:${git.credentials.password}@127.0.0.1:${new URL(git.httpUrl("x")).port}`;
    const env = await setup("main", { secrets: [nginx.password], gitCredentials: credentialsLine });
    dataDir = env.dataDir;
    standIn.setConfig({ buildMs: 400, failBuild: ["broken"] });
    const configured = await configureMod(env.cli, { publish: { url: `${nginx.url}/lsts`, user: nginx.user, password: nginx.password } });
    expect(configured.store).toBe("maven");
    const repos = await rowsFor([
      git.httpUrl("acme/alpha"),
      git.httpUrl("acme/secret"),
      git.httpUrl("acme/does-not-exist"),
      `http://127.0.0.1:${closedPort}/acme/unreachable.git`,
      git.httpUrl("acme/broken"),
      git.gitUrl("acme/beta"),
    ]);
    dirOf = (row) => workDirName([repos[row - 1]!]);
    events = [];
    const result = await runPipeline({
      repos,
      cli: env.cli,
      dataDir,
      index: "1-6",
      ts: "202601020304",
      runId: "run-42",
      publish: true,
      store: configured.store!,
      publishEnv: configured.publishEnv,
      logStore: new HttpLogStore(`${nginx.url}/lsts`, { user: nginx.user, password: nginx.password }),
      redactor: env.redactor,
      skipped: [{ row: 7, cloneUrl: "ext::sh -c evil", reason: "invalid row: REMOTE_HELPER_TRANSPORT" }],
      onEvent: (e) => events.push(e),
    });
    report = result.report;
    reportFile = result.reportFile;
  });

  it("gives every repository a result: ok, failed at the right step, skipped", () => {
    const byRow = new Map(report.repos.map((r) => [r.row, r]));
    expect(report.repos.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(byRow.get(1)).toMatchObject({ status: "ok", path: "acme/alpha" });
    expect(byRow.get(2)).toMatchObject({ status: "ok", path: "acme/secret" });
    expect(byRow.get(3)).toMatchObject({ status: "failed", failedStep: "sync" });
    expect(byRow.get(4)).toMatchObject({ status: "failed", failedStep: "sync" });
    expect(byRow.get(5)).toMatchObject({ status: "failed", failedStep: "build" });
    expect(byRow.get(6)).toMatchObject({ status: "ok", path: "acme/beta" });
    expect(byRow.get(7)).toMatchObject({ status: "skipped" });
    expect(report.totals).toEqual({ repos: 7, ok: 3, failed: 3, timedOut: 0, skipped: 1, notStarted: 0 });
    expect(byRow.get(5)!.reason).toContain("buildOutcome Failed");
    expect(byRow.get(5)!.exitCodes).toMatchObject({ sync: 0, build: 1 });
    const ok = byRow.get(1)!;
    expect(Object.keys(ok.durationsMs).sort()).toEqual(["build", "build-log", "publish", "sync", "sync-log"]);
    expect(ok.exitCodes).toEqual({ sync: 0, "sync-log": 0, build: 0, publish: 0, "build-log": 0 });
    expect(ok.logs.buildLog).toBe(`${nginx.url}/lsts/${logKeys("maven", "1-6", "202601020304").buildLog}`);
    expect(ok.logs.syncLog).toBe(`${nginx.url}/lsts/${logKeys("maven", "1-6", "202601020304").syncLog}`);
    expect(byRow.get(7)!.logs).toEqual({});
    // the commit each clone is at after the sync (the run state records it); none where the sync failed
    expect([1, 2, 6].map((row) => byRow.get(row)!.commit)).toEqual([
      heads.get("acme/alpha"),
      heads.get("acme/secret"),
      heads.get("acme/beta"),
    ]);
    expect(byRow.get(3)!.commit).toBeUndefined();
  });

  it("runs sync -> sync-log -> build -> publish -> build-log per repository, and nothing after a failed sync", async () => {
    const calls = await standIn.calls();
    const perGroup = new Map<string, string[]>();
    for (const call of [...calls].sort((a, b) => a.start - b.start)) {
      const group = groupOf(call);
      if (!group) continue;
      perGroup.set(group, [...(perGroup.get(group) ?? []), kind(call)]);
    }
    expect(perGroup.get(dirOf(1))).toEqual(["sync", "sync-log", "build", "publish", "build-log"]);
    expect(perGroup.get(dirOf(3))).toEqual(["sync", "sync-log"]);
    expect(perGroup.get(dirOf(5))).toEqual(["sync", "sync-log", "build", "build-log"]);
    for (const call of calls) expect(call.env).toMatchObject({ NO_COLOR: "true", TERM: "dumb" });
    const sync = calls.find((c) => kind(c) === "sync" && groupOf(c) === dirOf(1))!;
    expect(sync.argv.slice(0, 3)).toEqual(["git", "sync", "csv"]);
    expect(sync.argv[5]).toBe("--with-sources");
    const build = calls.find((c) => kind(c) === "build" && groupOf(c) === dirOf(1))!;
    expect(build.argv).toEqual(["build", sync.argv[3]]); // no --no-download: gone since 4.3.0
    expect(calls.filter((c) => c.exitCode === 2)).toEqual([]); // the CLI refused none of our calls
  });

  it("clones the private repository with GIT_CREDENTIALS and publishes the LSTs that built", async () => {
    expect(git.stats("acme/secret").fetches).toBeGreaterThan(0);
    const published = await standIn.published();
    expect(published.map((p) => p.repo).sort()).toEqual(["acme/alpha", "acme/beta", "acme/secret"]);
    for (const p of published) expect(p.status).toBe(201);
  });

  it("uploads both log zips and the report to the exact keys, with the logs inside", async () => {
    const keys = logKeys("maven", "1-6", "202601020304");
    const buildZip = new AdmZip(path.join(nginx.root, "lsts", keys.buildLog));
    const syncZip = new AdmZip(path.join(nginx.root, "lsts", keys.syncLog));
    expect(buildZip.getEntries().some((e) => e.entryName.includes("acme/alpha/build/"))).toBe(true);
    expect(syncZip.getEntries().filter((e) => e.entryName.startsWith("sync/")).length).toBeGreaterThanOrEqual(4);
    const uploaded = JSON.parse(await readFile(path.join(nginx.root, "lsts", keys.report), "utf8")) as RunReport;
    expect(uploaded.totals).toEqual(report.totals);
    expect(report.logs.buildLog.uploaded).toBe(`${nginx.url}/lsts/${keys.buildLog}`);
    expect(report.logs.syncLog.uploaded).toBe(`${nginx.url}/lsts/${keys.syncLog}`);
    expect(events.filter((e) => e.type === "upload")).toHaveLength(3);
  });

  it("writes the report atomically to the data directory and removes the work directories", async () => {
    expect(reportFile.startsWith(dataDir)).toBe(true);
    const onDisk = JSON.parse(await readFile(reportFile, "utf8")) as RunReport;
    expect(onDisk.runId).toBe("run-42");
    expect(onDisk.repos).toHaveLength(7);
    const leftovers = (await readdir(path.dirname(reportFile))).filter((f) => f.includes(".tmp-"));
    expect(leftovers).toEqual([]);
    expect(await readdir(path.join(dataDir, "work"))).toEqual([]);
  });

  it("keeps every secret out of the report and the events", async () => {
    const text = (await readFile(reportFile, "utf8")) + JSON.stringify(events);
    expect(text).not.toContain(nginx.password);
    expect(text).not.toContain(git.credentials.password);
  });

  it("overlaps stages: a later repository syncs while an earlier one builds", async () => {
    const calls = await standIn.calls();
    const builds = calls.filter((c) => kind(c) === "build");
    const syncs = calls.filter((c) => kind(c) === "sync");
    const overlapping = builds.some((b) => syncs.some((s) => groupOf(s) !== groupOf(b) && s.start < b.end! && s.end! > b.start));
    expect(overlapping).toBe(true);
  });
});

describe("runPipeline faults", () => {
  it("kills a hanging build at its timeout (timed-out, no orphans) while the others finish", async () => {
    const env = await setup("hang");
    standIn.setConfig({ buildMs: 20, hangBuild: ["hangs"] });
    const repos = await rowsFor([git.httpUrl("acme/hangs"), git.httpUrl("acme/alpha")]);
    const { report } = await runPipeline({ repos, cli: env.cli, dataDir: env.dataDir, index: "all", buildTimeoutMs: 2000 });
    expect(report.repos.map((r) => [r.row, r.status, r.failedStep])).toEqual([
      [1, "timed-out", "build"],
      [2, "ok", undefined],
    ]);
    expect(report.repos[0]!.reason).toContain("timeout");
    const hung = (await standIn.calls()).find((c) => c.hung)!;
    expect(pidAlive(hung.grandchildPid!)).toBe(false);
    expect(pidAlive(hung.pid)).toBe(false);
    expect(processGroupAlive(hung.pid)).toBe(false);
    // without publishing, the ok repository's work directory (with its LSTs) is kept; the timed-out one is removed
    expect(report.published).toBe(false);
    expect(report.repos[1]!.logs.workDir).toBeDefined();
    expect(existsSync(path.join(report.repos[1]!.logs.workDir!, "acme", "alpha", ".moderne", "build"))).toBe(true);
    expect(existsSync(path.join(env.dataDir, "work", workDirName([repos[0]!])))).toBe(false);
    expect(existsSync(path.join(env.dataDir, "work", `${workDirName([repos[0]!])}.keys`))).toBe(false);
  });

  it("on abort starts nothing new, kills the running build, writes the report", async () => {
    const env = await setup("abort");
    standIn.setConfig({ buildMs: 20, hangBuild: ["many/r"] });
    const repos = await rowsFor([0, 1, 2, 3, 4, 5].map((i) => git.httpUrl(`many/r${i}`)));
    const controller = new AbortController();
    const running = runPipeline({
      repos,
      cli: env.cli,
      dataDir: env.dataDir,
      index: "1-6",
      concurrency: { sync: 1, build: 1, maxPending: 1 },
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type !== "step-start" || e.step !== "build") return;
        // abort once the stand-in's build is really hanging (it records the call then)
        const poll = async () => {
          while (!(await standIn.calls()).some((c) => c.hung)) await new Promise((r) => setTimeout(r, 50));
          controller.abort("SIGTERM");
        };
        void poll();
      },
    });
    const { report, reportFile, summary } = await running;
    expect(report.interrupted).toBe("SIGTERM");
    expect(report.repos[0]).toMatchObject({ status: "skipped", interrupted: true, failedStep: "build" });
    // what was under way is skipped; what never started is called that (max one group pending: rows 3-6 never ran)
    for (const r of report.repos) expect(r.status).toBe(r.steps.length > 0 ? "skipped" : "not-started");
    expect(report.repos.slice(2).map((r) => [r.status, r.interrupted, r.reason])).toEqual(
      Array(4).fill(["not-started", true, "interrupted before sync"]),
    );
    expect(summary).toMatch(/[12] skipped, [45] not started\./);
    const calls = await standIn.calls();
    // only the first build ever started; no sync started after the abort beyond those already running
    expect(calls.filter((c) => kind(c) === "build")).toHaveLength(1);
    expect(calls.filter((c) => kind(c) === "sync").length).toBeLessThanOrEqual(3);
    const hung = calls.find((c) => c.hung)!;
    expect(pidAlive(hung.grandchildPid!)).toBe(false);
    expect(existsSync(reportFile)).toBe(true);
  });

  it("never gets a row with credentials embedded in the clone URL: the csv reader refuses it (CREDENTIALS_IN_URL)", async () => {
    const url = git.httpUrl("acme/secret").replace("http://", `http://${git.credentials.user}:${git.credentials.password}@`);
    expect(await rowsFor([url])).toEqual([]);
  });

  it("batches BATCH_SIZE rows per mod call with a CSV of exactly those rows", async () => {
    const env = await setup("batch");
    standIn.setConfig({ buildMs: 10 });
    const repos = await rowsFor([0, 1, 2, 3, 4].map((i) => git.httpUrl(`many/r${i}`)));
    const { report } = await runPipeline({ repos, cli: env.cli, dataDir: env.dataDir, index: "all", batchSize: 2 });
    expect(report.repos.map((r) => r.group)).toEqual(["rows-1-2", "rows-1-2", "rows-3-4", "rows-3-4", "row-5"]);
    expect(report.totals.ok).toBe(5);
    const syncs = (await standIn.calls()).filter((c) => kind(c) === "sync");
    expect(syncs).toHaveLength(3);
    // the stand-in cloned exactly the rows of each group into that group's directory
    // ... named by the keys of its rows, not by row numbers
    for (const r of report.repos) {
      const first = (r.row - 1) & ~1;
      const dir = path.join(env.dataDir, "work", workDirName(repos.slice(first, first + 2)));
      expect(r.logs.workDir).toBe(dir);
      expect(existsSync(path.join(dir, "many", `r${r.row - 1}`, ".git"))).toBe(true);
    }
  });

  it("reports skipped rows by their clone URL (none when the row had none) with the whole reason in the summary", async () => {
    const env = await setup("skipped-rows");
    const long = `invalid row: CLONE_URL_SCHEME: the clone URL's scheme "ftp" is not supported by the Moderne CLI's git. Use an https://, http://, ssh:// or git@host:path URL instead (row ${"x".repeat(40)}).`;
    const { report, summary } = await runPipeline({
      repos: [],
      cli: env.cli,
      dataDir: env.dataDir,
      index: "all",
      skipped: [
        { row: 1, reason: "invalid row: MISSING_CLONE_URL: the row has no cloneUrl." },
        { row: 2, cloneUrl: "ftp://scm.example.invalid/org/repo.git", reason: long },
      ],
    });
    expect(report.repos[0]).not.toHaveProperty("cloneUrl");
    expect(report.repos[1]!.cloneUrl).toBe("ftp://scm.example.invalid/org/repo.git");
    expect(summary).toContain("row 1 (no clone URL): skipped (invalid row: MISSING_CLONE_URL: the row has no cloneUrl.)");
    expect(summary).toContain(`row 2 ftp://scm.example.invalid/org/repo.git: skipped (${long})`);
    expect(summary.match(/^Report: /gm)).toHaveLength(1);
  });

  it("gives two runs in the same minute their own folder, report and zips (no merged entries)", async () => {
    const env = await setup("same-minute");
    standIn.setConfig({ buildMs: 10 });
    const run = async (url: string) =>
      runPipeline({ repos: await rowsFor([url]), cli: env.cli, dataDir: env.dataDir, index: "all", ts: "202601020304" });
    const first = await run(git.httpUrl("many/r0"));
    const second = await run(git.httpUrl("many/r1"));
    expect(first.report.ts).toBe(second.report.ts);
    expect(path.dirname(first.reportFile)).not.toBe(path.dirname(second.reportFile));
    expect(path.basename(path.dirname(first.reportFile))).toMatch(/^202601020304\d{2}-[0-9a-f]{6}$/);
    // both reports survive, each with its own repository
    for (const [result, repo] of [
      [first, "many/r0"],
      [second, "many/r1"],
    ] as const) {
      const onDisk = JSON.parse(await readFile(result.reportFile, "utf8")) as RunReport;
      expect(onDisk.repos.map((r) => r.path)).toEqual([repo]);
      const names = new AdmZip(result.report.logs.buildLog.local!).getEntries().map((e) => e.entryName);
      expect(names.some((n) => n.includes(repo))).toBe(true);
      expect(names.some((n) => n.includes(repo === "many/r0" ? "many/r1" : "many/r0"))).toBe(false);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it("never has more groups synced-but-not-building than maxPending", async () => {
    const env = await setup("bounded");
    standIn.setConfig({ buildMs: 150 });
    const repos = await rowsFor([0, 1, 2, 3, 4, 5].map((i) => git.httpUrl(`many/r${i}`)));
    // Count, at every event, the groups whose sync started and whose build has not (our own event order).
    const synced = new Set<string>();
    let maxSeen = 0;
    const onEvent = (e: PipelineEvent) => {
      if (e.type !== "step-start") return;
      if (e.step === "sync") synced.add(e.group);
      if (e.step === "build") synced.delete(e.group);
      maxSeen = Math.max(maxSeen, synced.size);
    };
    const { report } = await runPipeline({
      repos,
      cli: env.cli,
      dataDir: env.dataDir,
      index: "all",
      concurrency: { sync: 3, build: 1, publish: 1, maxPending: 2 },
      onEvent,
    });
    expect(report.totals.ok).toBe(6);
    expect(maxSeen).toBe(2);
    const calls = await standIn.calls();
    // and builds never overlapped (build concurrency 1)
    const builds = calls.filter((c) => kind(c) === "build").sort((a, b) => a.start - b.start);
    for (let i = 1; i < builds.length; i++) expect(builds[i]!.start).toBeGreaterThanOrEqual(builds[i - 1]!.end!);
  });
});
