import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { StateError } from "../src/errors.js";
import type { RunManifest } from "../src/records.js";
import { checkManifestCsv, foldPendingRuns, openPlan, openResultRecorder, partitionForArrayIndex, withPendingRun } from "../src/runs.js";
import { openStateStore, type StateStore } from "../src/store/state-store.js";
import { resultEntry, SHA_A } from "./helpers.js";

const dirs: string[] = [];
let store: StateStore;
let root = "";
beforeEach(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "state-runs-"));
  dirs.push(dir);
  root = path.join(dir, "state");
  store = openStateStore(root);
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const manifest = (runId: string, createdAt = "2026-11-30T00:00:00.000Z"): RunManifest => ({
  runId,
  csv: { location: "repos.csv", rowCount: 3, sha256: "c".repeat(64) },
  createdAt,
  timeBudgetMs: 1000,
  predictedMakespanMs: 20,
  partitions: [
    { partition: 1, predictedMs: 20, rows: [{ row: 2, key: "k2", predictedMs: 20 }] },
    {
      partition: 2,
      predictedMs: 10,
      rows: [
        { row: 1, key: "k1", predictedMs: 5 },
        { row: 3, key: "k3", predictedMs: 5 },
      ],
    },
  ],
});

describe("foldPendingRuns", () => {
  test("folds a run's results as they come, keeps it pending until every planned repository has a result", async () => {
    await store.writeManifest(manifest("r1"));
    await foldPendingRuns(store, { addRun: "r1", now: new Date("2026-11-30T01:00:00.000Z") });
    expect((await store.readState()).pendingRuns).toEqual(["r1"]);
    const rec = await openResultRecorder(store, "r1", 2);
    await rec.record(resultEntry("k1", 1));
    let st = await foldPendingRuns(store, { now: new Date("2026-11-30T01:00:00.000Z") });
    expect(Object.keys(st.repos)).toEqual(["k1"]);
    expect(st.pendingRuns).toEqual(["r1"]);
    await rec.record(resultEntry("k3", 3, { outcome: "failed" }));
    await (await openResultRecorder(store, "r1", 1)).record(resultEntry("k2", 2));
    st = await foldPendingRuns(store, { now: new Date("2026-11-30T01:00:00.000Z") });
    expect(Object.keys(st.repos).sort()).toEqual(["k1", "k2", "k3"]);
    expect(st.repos.k3?.outcome).toBe("failed");
    expect(st.pendingRuns).toEqual([]);
  });

  test("an expired run, or one without a manifest, is folded a last time and dropped", async () => {
    await store.writeManifest(manifest("old", "2026-01-01T00:00:00.000Z"));
    await store.updateState((s) => withPendingRun(withPendingRun(s, "old"), "gone"));
    await store.writeResult({ runId: "gone", partition: 1, updatedAt: "t", repos: [resultEntry("g", 1)] });
    const st = await foldPendingRuns(store, { now: new Date("2026-11-30T00:00:00.000Z") });
    expect(st.pendingRuns).toEqual([]);
    expect(Object.keys(st.repos)).toEqual(["g"]);
  });

  test("a run whose manifest is corrupt is dropped after its results are folded", async () => {
    await store.backend.write("runs/bad/manifest.json", "{");
    await store.updateState((s) => withPendingRun(s, "bad"));
    expect((await foldPendingRuns(store)).pendingRuns).toEqual([]);
  });
});

describe("the processor's side", () => {
  test("openPlan from the manifest location; the partition by array index; the csv check", async () => {
    const location = await store.writeManifest(manifest("r1"));
    const plan = await openPlan(location);
    expect(plan.runId).toBe("r1");
    expect(partitionForArrayIndex(plan.manifest, 1).rows.map((r) => r.row)).toEqual([1, 3]);
    expect(() => partitionForArrayIndex(plan.manifest, 2)).toThrow(/Array index 2 has no partition/);
    expect(() => checkManifestCsv(plan.manifest, { rowCount: 3, sha256: "c".repeat(64) })).not.toThrow();
    expect(() => checkManifestCsv(plan.manifest, { rowCount: 3, sha256: "d".repeat(64) })).toThrow(StateError);
    expect(() => checkManifestCsv(plan.manifest, { rowCount: 4, sha256: "c".repeat(64) })).toThrow(/changed since run r1 was planned/);
    await expect(openPlan(path.join(root, "manifest.json"))).rejects.toMatchObject({ code: "INVALID_PLAN" });
    await expect(openPlan(path.join(root, "runs", "nope", "manifest.json"))).rejects.toMatchObject({ code: "PLAN_NOT_FOUND" });
  });

  test("resume: a second attempt skips what the first built ok and rebuilds the rest; the record is whole after each", async () => {
    const first = await openResultRecorder(store, "r1", 2);
    expect(first.previous).toEqual([]);
    await first.record(resultEntry("k1", 1, { commit: SHA_A }));
    await first.record(resultEntry("k3", 3, { outcome: "timed-out" }));
    // the attempt dies here (Spot reclaim); the retry reads the record
    const second = await openResultRecorder(store, "r1", 2);
    expect(second.isDone("k1")).toBe(true);
    expect(second.isDone("k3")).toBe(false);
    await second.record(resultEntry("k3", 3));
    expect((await store.readResult("r1", 2))?.repos.map((e) => [e.key, e.outcome])).toEqual([
      ["k1", "ok"],
      ["k3", "ok"],
    ]);
  });

  test("the record never holds credentials", async () => {
    const rec = await openResultRecorder(store, "r1", 1);
    await rec.record(
      resultEntry("k", 1, {
        cloneUrl: "https://bob:tok-12345@h/o/r.git",
        outcome: "failed",
        error: "fatal: https://bob:tok-12345@h/o/r.git: 401",
      }),
    );
    const text = (await store.backend.read("runs/r1/results/p1.json"))?.text ?? "";
    expect(text).not.toContain("tok-12345");
    expect((await store.readResult("r1", 1))?.repos[0]).toMatchObject({
      cloneUrl: "https://h/o/r.git",
      error: "fatal: https://***@h/o/r.git: 401",
    });
  });

  test("a record cut mid-write counts as none: everything is built again", async () => {
    const warnings: string[] = [];
    const s = openStateStore(root, { onWarning: (w) => warnings.push(w) });
    await s.backend.write("runs/r1/results/p2.json", '{"kind":"mass-ingest/partition-result","ver');
    const rec = await openResultRecorder(s, "r1", 2);
    expect(rec.isDone("k1")).toBe(false);
    expect(warnings).toHaveLength(1);
  });
});
