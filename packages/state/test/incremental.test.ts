/**
 * The library end to end, as the chunker and the processor will drive it: repositories in a loopback git server
 * that get new commits between runs, the state in a local directory, results recorded per repository.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  fingerprint,
  foldPendingRuns,
  lsRemote,
  openPlan,
  openResultRecorder,
  openStateStore,
  partitionForArrayIndex,
  planByTime,
  predictDurations,
  repoKey,
  select,
  type StateStore,
} from "../src/index.js";

let server: GitServer;
let dir = "";
const names = Array.from({ length: 8 }, (_, i) => `org/r${i}`);

beforeAll(async () => {
  server = await startGitServer({ daemon: false });
  for (const n of names) await server.createRepo(n);
  dir = await mkdtemp(path.join(os.tmpdir(), "state-e2e-"));
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const fp = fingerprint({ cliVersion: "3.40.0", java: "17" });
const rows = () => names.map((n, i) => ({ row: i + 1, url: server.httpUrl(n), key: repoKey(server.httpUrl(n)), fingerprint: fp }));

/** One nightly run: fold, ls-remote, select, plan, manifest; then every partition "builds" its rows. */
async function night(store: StateStore, runId: string, now: Date, failing: Set<string> = new Set()): Promise<string[]> {
  await foldPendingRuns(store, { now });
  const state = await store.readState();
  const remote = await lsRemote(rows().map((r) => ({ key: r.key, url: r.url })));
  const selection = select(rows(), state, remote, { now });
  const plan = planByTime(predictDurations(selection.build, state), { maxPartitionSize: 3 });
  const location = await store.writeManifest({
    runId,
    csv: { location: "repos.csv", rowCount: names.length, sha256: "0".repeat(64) },
    createdAt: now.toISOString(),
    timeBudgetMs: 1000,
    predictedMakespanMs: plan.predictedMakespanMs,
    partitions: plan.partitions,
  });
  await store.writeSelection({ runId, createdAt: now.toISOString(), counts: selection.counts, unchanged: selection.unchanged });
  await foldPendingRuns(store, { now, addRun: runId });
  const built: string[] = [];
  const { manifest, store: processorStore } = await openPlan(location);
  for (let index = 0; index < manifest.partitions.length; index++) {
    const partition = partitionForArrayIndex(manifest, index);
    const recorder = await openResultRecorder(processorStore, runId, partition.partition);
    for (const r of partition.rows) {
      if (recorder.isDone(r.key)) continue;
      built.push(r.key);
      const head = remote.get(r.key);
      await recorder.record({
        key: r.key,
        row: r.row,
        cloneUrl: r.key,
        ...(head?.ok ? { commit: head.commit } : {}),
        fingerprint: fp,
        outcome: failing.has(r.key) ? "failed" : "ok",
        durations: { syncMs: 10, buildMs: 100 * r.row, publishMs: 5 },
        finishedAt: now.toISOString(),
      });
    }
  }
  return built.sort();
}

test("the second night builds exactly the changed and the previously failed repositories", async () => {
  const store = openStateStore(path.join(dir, "state"));
  const keys = rows().map((r) => r.key);
  const first = await night(store, "n1", new Date("2026-11-28T02:00:00Z"), new Set([keys[5] as string]));
  expect(first).toEqual(keys.slice().sort());
  await server.commit("org/r2", { "x.txt": "new" });
  await server.commit("org/r6", { "y.txt": "new" });
  const second = await night(store, "n2", new Date("2026-11-29T02:00:00Z"));
  expect(second).toEqual([keys[2], keys[5], keys[6]].sort());
  const selection = await store.readSelection("n2");
  expect(selection?.counts).toMatchObject({ changed: 2, failedLastTime: 1, unchanged: 5 });
  const third = await night(store, "n3", new Date("2026-11-30T02:00:00Z"));
  expect(third).toEqual([]);
  const state = await foldPendingRuns(store, { now: new Date("2026-11-30T03:00:00Z") });
  expect(state.pendingRuns).toEqual([]);
  expect(Object.values(state.repos).every((e) => e.outcome === "ok")).toBe(true);
});
