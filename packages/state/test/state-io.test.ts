// A submit reads and parses state.json once and writes it once (prepareRun + recordRun), counted on the store's
// backend; a writer that slips in between is not lost (the record re-reads and folds again).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  openResultRecorder,
  openStateStore,
  prepareRun,
  recordRun,
  type PreparedRun,
  type StateRow,
  type StateStore,
} from "../src/index.js";

let server: GitServer;
let dir = "";
beforeAll(async () => {
  server = await startGitServer({ daemon: false });
  for (const n of ["o/a", "o/b"]) await server.createRepo(n);
  dir = await mkdtemp(path.join(os.tmpdir(), "state-io-"));
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const csv = { location: "repos.csv", rowCount: 2, sha256: "1".repeat(64) };

/** Count the backend's reads and writes of state.json. */
function counted(store: StateStore): { reads: number; writes: number } {
  const count = { reads: 0, writes: 0 };
  const { read, write } = store.backend;
  store.backend.read = (key) => {
    if (key === "state.json") count.reads++;
    return read(key);
  };
  store.backend.write = (key, text, condition) => {
    if (key === "state.json") count.writes++;
    return write(key, text, condition);
  };
  return count;
}

async function finish(store: StateStore, run: PreparedRun): Promise<void> {
  for (const p of run.manifest.partitions) {
    const recorder = await openResultRecorder(store, run.manifest.runId, p.partition);
    for (const r of p.rows) {
      await recorder.record({
        key: r.key,
        row: r.row,
        cloneUrl: "x",
        commit: "0".repeat(40),
        fingerprint: run.rows.get(r.row)!.fingerprint,
        outcome: "ok",
        durations: { buildMs: 100 },
        finishedAt: new Date().toISOString(),
      });
    }
  }
}

test("each submit: state.json read once and written once, night 1's results folded into night 2's write", async () => {
  const rows: StateRow[] = [
    { row: 1, cloneUrl: server.httpUrl("o/a") },
    { row: 2, cloneUrl: server.httpUrl("o/b") },
  ];
  const store = openStateStore(path.join(dir, "once"));
  const count = counted(store);
  const first = await prepareRun(store, rows, { runId: "r1", csv, cliVersion: "3.1" });
  await recordRun(store, first);
  expect(count).toEqual({ reads: 1, writes: 1 });
  await finish(store, first);
  const second = await prepareRun(store, rows, { runId: "r2", csv, cliVersion: "3.1" });
  expect(count).toEqual({ reads: 2, writes: 1 }); // planning writes nothing
  expect(second.selection.counts).toMatchObject({ changed: 2 }); // night 1's records were folded (commit 000… is not the remote's)
  await recordRun(store, second);
  expect(count).toEqual({ reads: 2, writes: 2 });
  const state = await store.readState();
  expect(state.pendingRuns).toEqual(["r2"]);
  expect(Object.values(state.repos).map((e) => e.outcome)).toEqual(["ok", "ok"]);
});

test("another writer between planning and recording: read again, folded again, nothing lost", async () => {
  const rows: StateRow[] = [{ row: 1, cloneUrl: server.httpUrl("o/a") }];
  const store = openStateStore(path.join(dir, "race"));
  const first = await prepareRun(store, rows, { runId: "r1", csv: { ...csv, rowCount: 1 }, cliVersion: "3.1" });
  await recordRun(store, first);
  await finish(store, first);
  const count = counted(store);
  const second = await prepareRun(store, rows, { runId: "r2", csv: { ...csv, rowCount: 1 }, cliVersion: "3.1" });
  await store.updateState((s) => ({ ...s, pendingRuns: [...s.pendingRuns, "other"] }));
  await recordRun(store, second);
  const state = await store.readState();
  expect(count.writes).toBe(3); // the other writer, the lost race (conflict), the retry
  expect(state.pendingRuns).toEqual(["r2"]); // r1 folded (covered) and "other" (no manifest) dropped by the fold
  expect(Object.values(state.repos)).toMatchObject([{ outcome: "ok", commit: "0".repeat(40) }]);
});
