// prepareRun/recordRun, the select-and-plan step the chunker (and a processor alone) call, against a loopback git
// server: a first run asks no remote; a second asks only the rows whose decision depends on it.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openResultRecorder, openStateStore, prepareRun, recordRun, rowFingerprint, rowKey, type StateRow } from "../src/index.js";

let server: GitServer;
let dir = "";
beforeAll(async () => {
  server = await startGitServer({ daemon: false });
  for (const n of ["o/a", "o/b", "o/c"]) await server.createRepo(n);
  dir = await mkdtemp(path.join(os.tmpdir(), "state-prepare-"));
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const csv = { location: "repos.csv", rowCount: 4, sha256: "1".repeat(64) };

test("keys and fingerprints per row; the first row of a repository only; remote asked only where it decides", async () => {
  const rows: StateRow[] = [
    { row: 1, cloneUrl: server.httpUrl("o/a"), java: "17" },
    { row: 2, cloneUrl: server.httpUrl("o/b") },
    { row: 3, cloneUrl: server.httpUrl("o/a").replace(/\.git$/, "") },
    { row: 4, cloneUrl: server.httpUrl("o/c"), changeset: "abcdef1" },
  ];
  expect(rowKey(rows[0]!)).toBe(rowKey(rows[2]!));
  expect(rowFingerprint(rows[0]!, "3.1")).not.toBe(rowFingerprint({ ...rows[0]!, java: "21" }, "3.1"));
  const store = openStateStore(path.join(dir, "s"));
  const first = await prepareRun(store, rows, { runId: "r1", csv, cliVersion: "3.1", partitionSize: 2 });
  expect(first.lsRemote.calls).toBe(0);
  expect(first.selection.build.map((b) => b.row)).toEqual([1, 2, 4]);
  expect(first.manifest.partitions.flatMap((p) => p.rows.map((r) => r.row)).sort()).toEqual([1, 2, 4]);
  const location = await recordRun(store, first);
  expect(location).toBe(path.join(dir, "s", "runs", "r1", "manifest.json"));
  expect((await store.readState()).pendingRuns).toEqual(["r1"]);
  for (const p of first.manifest.partitions) {
    const recorder = await openResultRecorder(store, "r1", p.partition);
    for (const r of p.rows) {
      const fp = first.rows.get(r.row)!.fingerprint;
      await recorder.record({
        key: r.key,
        row: r.row,
        cloneUrl: "x",
        commit: r.row === 4 ? "abcdef1" : "0".repeat(40),
        fingerprint: fp,
        outcome: "ok",
        durations: { buildMs: 100 },
        finishedAt: new Date().toISOString(),
      });
    }
  }
  const second = await prepareRun(store, rows, { runId: "r2", csv, cliVersion: "3.1" });
  expect(second.lsRemote).toMatchObject({ calls: 2, failed: 0 });
  expect(second.selection.counts).toMatchObject({ changed: 2, unchanged: 1 });
  expect(second.selection.unchanged).toEqual([{ row: 4, key: rowKey(rows[3]!), commit: "abcdef1" }]);
  const upgraded = await prepareRun(store, rows, { runId: "r3", csv, cliVersion: "3.2" });
  expect(upgraded.selection.counts).toMatchObject({ fingerprintChanged: 3 });
  expect(upgraded.lsRemote.calls).toBe(0);
  store.close();
});
