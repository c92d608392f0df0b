/**
 * Retry by cause (issue 21), on sync: a repository whose git host answers 503 (a fault proxy in front of the
 * loopback git server) is synced again in the same run and ends ok; a repository that is gone (404) is not
 * retried; the retries stop at the cap.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "@mass-ingest/testkit/fault-proxy";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { ingest, workDirName, type IngestEvent } from "../src/index.js";
import { groupOf, kind, modRunner, rowsFor, tmp } from "./helpers.js";

let git: GitServer;
let proxy: FaultProxy;
let standIn: ModStandIn;
let dataRoot: string;
const names = ["hosted/r0", "hosted/r1", "hosted/r2"];

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  for (const name of names) await git.createRepo(name);
  proxy = await startFaultProxy(new URL(git.httpUrl(names[1]!)).origin, { failFirst: 0 });
  standIn = createModStandIn();
  dataRoot = await tmp("pipeline-sync-retry-");
});
afterAll(async () => {
  standIn?.cleanup();
  await Promise.all([git?.stop(), proxy?.stop()]);
  await rm(dataRoot, { recursive: true, force: true });
});

/** r1 is cloned through the fault proxy (503 for its next `fail` requests), or from `r1Url`; the others straight from the git server. */
async function run(dir: string, fail: number, r1Url?: string) {
  standIn.reset();
  standIn.setConfig({ buildMs: 5 });
  proxy.failNext(fail);
  const failedBefore = proxy.failed();
  const events: IngestEvent[] = [];
  const urls = names.map((n, i) => (i === 1 ? (r1Url ?? `${proxy.url}/${n}.git`) : git.httpUrl(n)));
  const repos = await rowsFor(urls);
  const result = await ingest(
    {
      ...modRunner(standIn.command, { ...process.env, ...standIn.env }),
      dataDir: path.join(dataRoot, dir),
      repos,
      batchSize: 1,
      transientRetry: { attempts: 2, delaysMs: [20] },
    },
    (e) => events.push(e),
  );
  const calls = await standIn.calls();
  // `mod git sync` calls of a row's work directory (named by its repository)
  const syncs = (row: number) => calls.filter((c) => kind(c) === "sync" && groupOf(c) === workDirName([repos[row - 1]!])).length;
  return { result, retries: events.filter((e) => e.type === "retry"), syncs, refused: proxy.failed() - failedBefore };
}

describe("transient sync failures", () => {
  it("a 503 from the git host is synced again after the delay and the repository is built in the same run", async () => {
    const { result, retries, syncs, refused } = await run("once", 1);
    expect(refused).toBe(1);
    expect(result.report.totals).toMatchObject({ repos: 3, ok: 3, failed: 0 });
    expect(retries).toEqual([expect.objectContaining({ step: "sync", attempt: 1, rows: [2], delayMs: 20, cause: "transient" })]);
    expect(syncs(2)).toBe(2);
    expect(result.report.repos.filter((r) => r.row !== 2).map((r) => syncs(r.row))).toEqual([1, 1]);
  });

  it("stops at the cap: still refused after two retries, it is reported failed at sync", async () => {
    const { result, retries, syncs } = await run("cap", 50);
    expect(result.report.totals).toMatchObject({ ok: 2, failed: 1 });
    expect(retries.map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2]);
    const r1 = result.report.repos.find((r) => r.row === 2)!;
    expect(r1).toMatchObject({ status: "failed", failedStep: "sync" });
    expect(syncs(2)).toBe(3);
    proxy.failNext(0);
  });

  it("a repository that is gone (404) is not synced again", async () => {
    const { result, retries, syncs, refused } = await run("gone", 0, git.httpUrl("hosted/deleted"));
    expect(refused).toBe(0);
    expect(result.report.totals).toMatchObject({ ok: 2, failed: 1 });
    expect(retries).toEqual([]);
    expect(syncs(2)).toBe(1);
  });
});
