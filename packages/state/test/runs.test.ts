import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { StateError } from "../src/errors.js";
import type { RunManifest } from "../src/records.js";
import { checkManifestCsv, openPlan, openPlanPartition, partitionForArrayIndex } from "../src/plan-open.js";
import { foldPendingRuns, openResultRecorder, withPendingRun } from "../src/runs.js";
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
    await foldPendingRuns(store, { addRun: "r1", now: new Date("2026-11-30T03:00:00.000Z") });
    expect((await store.readState()).pendingRuns).toEqual(["r1"]);
    const rec = await openResultRecorder(store, "r1", 2);
    await rec.record(resultEntry("k1", 1));
    let st = await foldPendingRuns(store, { now: new Date("2026-11-30T03:00:00.000Z") });
    expect(Object.keys(st.repos)).toEqual(["k1"]);
    expect(st.pendingRuns).toEqual(["r1"]);
    await rec.record(resultEntry("k3", 3, { outcome: "failed" }));
    await (await openResultRecorder(store, "r1", 1)).record(resultEntry("k2", 2));
    st = await foldPendingRuns(store, { now: new Date("2026-11-30T03:00:00.000Z") });
    expect(Object.keys(st.repos).sort()).toEqual(["k1", "k2", "k3"]);
    expect(st.repos.k3?.outcome).toBe("failed");
    expect(st.pendingRuns).toEqual([]);
  });

  test("an expired run is folded a last time and dropped; one without a manifest is dropped, its records refused", async () => {
    const warnings: string[] = [];
    store = openStateStore(root, { onWarning: (w) => warnings.push(w) });
    await store.writeManifest(manifest("old", "2026-01-01T00:00:00.000Z"));
    await store.updateState((s) => withPendingRun(withPendingRun(s, "old"), "gone"));
    await store.writeResult({
      runId: "old",
      partition: 1,
      updatedAt: "t",
      repos: [resultEntry("k2", 2, { finishedAt: "2026-01-01T01:00:00.000Z" })],
    });
    await store.writeResult({ runId: "gone", partition: 1, updatedAt: "t", repos: [resultEntry("g", 1)] });
    const st = await foldPendingRuns(store, { now: new Date("2026-11-30T00:00:00.000Z") });
    expect(st.pendingRuns).toEqual([]);
    expect(Object.keys(st.repos)).toEqual(["k2"]);
    expect(warnings).toEqual([expect.stringMatching(/Ignoring the 1 result record\(s\) of run gone: it has no readable manifest/)]);
  });

  test("a forged record is refused with a warning naming the key: unplanned partition, unplanned key, wrong row, future time", async () => {
    const warnings: string[] = [];
    store = openStateStore(root, { onWarning: (w) => warnings.push(w) });
    await store.writeManifest(manifest("r1"));
    await store.updateState((s) => withPendingRun(s, "r1"));
    await store.writeResult({ runId: "r1", partition: 9, updatedAt: "t", repos: [resultEntry("k1", 1)] });
    await store.writeResult({
      runId: "r1",
      partition: 2,
      updatedAt: "t",
      repos: [
        resultEntry("k1", 1, { outcome: "failed" }),
        resultEntry("k2", 2),
        resultEntry("k3", 1),
        resultEntry("k3", 3, { finishedAt: "2099-01-01T00:00:00.000Z" }),
      ],
    });
    await store.writeResult({
      runId: "r1",
      partition: 1,
      updatedAt: "t",
      repos: [resultEntry("k2", 2, { finishedAt: "2026-11-29T00:00:00.000Z" })],
    });
    const st = await foldPendingRuns(store, { now: new Date("2026-11-30T03:00:00.000Z") });
    expect(Object.keys(st.repos)).toEqual(["k1"]);
    expect(st.repos.k1?.outcome).toBe("failed");
    expect(st.pendingRuns).toEqual(["r1"]);
    expect(warnings).toHaveLength(5);
    expect(warnings.join("\n")).toMatch(/result record of partition 9 of run r1 .*is not a partition of the manifest/);
    expect(warnings.join("\n")).toMatch(/entry for k2 in partition 2 .*is not planned for this partition/);
    expect(warnings.join("\n")).toMatch(/entry for k3 in partition 2 .*claims row 1, planned at row 3/);
    expect(warnings.join("\n")).toMatch(
      /entry for k3 in partition 2 .*claims finishedAt 2099-01-01T00:00:00.000Z, outside the run's window/,
    );
    expect(warnings.join("\n")).toMatch(/entry for k2 in partition 1 .*claims finishedAt 2026-11-29T00:00:00.000Z/);
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

  test("openPlanPartition validates only its own partition of the manifest", async () => {
    const location = await store.writeManifest(manifest("r1"));
    const one = await openPlanPartition(location, 1);
    expect(one.partition.rows.map((r) => r.row)).toEqual([1, 3]);
    expect(one.manifest).toMatchObject({ runId: "r1", csv: { rowCount: 3 } });
    expect("partitions" in one.manifest).toBe(false);
    await expect(openPlanPartition(location, 2)).rejects.toThrow(/Array index 2 has no partition in the plan of run r1 \(2 partitions\)/);
    // another partition broken: this child still reads its own; the broken one's child is told
    const text = (await store.backend.read("runs/r1/manifest.json"))!.text;
    const json = JSON.parse(text) as { partitions: Array<{ rows: unknown }> };
    json.partitions[0]!.rows = "nonsense";
    await store.backend.write("runs/r1/manifest.json", JSON.stringify(json));
    expect((await openPlanPartition(location, 1)).partition.partition).toBe(manifest("r1").partitions[1]!.partition);
    await expect(openPlanPartition(location, 0)).rejects.toMatchObject({ code: "STATE_CORRUPT" });
    await expect(openPlan(location)).rejects.toMatchObject({ code: "STATE_CORRUPT" });
  });

  test("the job's partitions parameter maps the array index, as the contract's partitionOfArrayIndex", async () => {
    const location = await store.writeManifest(manifest("r1"));
    const plan = await openPlan(location);
    // a plain job (index 0) naming partition 2, and an array child of a retry listing "2"
    expect(partitionForArrayIndex(plan.manifest, 0, [2]).partition).toBe(2);
    expect((await openPlanPartition(location, 0, { partitions: "2" })).partition.rows.map((r) => r.row)).toEqual([1, 3]);
    await expect(openPlanPartition(location, 1, { partitions: "2" })).rejects.toMatchObject({ code: "INVALID_ARRAY_INDEX", exitCode: 2 });
    await expect(openPlanPartition(location, 0, { partitions: "x" })).rejects.toMatchObject({ code: "INVALID_PARTITIONS", exitCode: 2 });
    await expect(openPlanPartition(location, 0, { partitions: "3" })).rejects.toThrow(
      /Array index 0 has no partition in the plan of run r1/,
    );
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
