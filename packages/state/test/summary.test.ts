import { describe, expect, test } from "vitest";
import type { RunManifest } from "../src/records.js";
import { rowsToRetry, summarizeRun } from "../src/summary.js";
import { result, resultEntry } from "./helpers.js";

const manifest: RunManifest = {
  runId: "r1",
  csv: { location: "repos.csv", rowCount: 5, sha256: "c".repeat(64) },
  createdAt: "2026-11-30T00:00:00.000Z",
  timeBudgetMs: 1000,
  predictedMakespanMs: 900,
  partitions: [
    {
      partition: 1,
      predictedMs: 900,
      rows: [
        { row: 1, key: "a", predictedMs: 500 },
        { row: 4, key: "d", predictedMs: 400 },
      ],
    },
    {
      partition: 2,
      predictedMs: 800,
      rows: [
        { row: 2, key: "b", predictedMs: 400 },
        { row: 3, key: "c", predictedMs: 400 },
      ],
    },
  ],
};
const results = [
  result("r1", 1, [resultEntry("a", 1), resultEntry("d", 4, { outcome: "timed-out" })]),
  result("r1", 2, [resultEntry("b", 2, { outcome: "failed", durations: { syncMs: 10 } })]),
];
const selection = {
  runId: "r1",
  createdAt: "t",
  counts: { neverBuilt: 0, changed: 0, fingerprintChanged: 0, failedLastTime: 0, stale: 0, full: 0, unknown: 0, unchanged: 1 },
  unchanged: [{ row: 5, key: "e", commit: "x" }],
};

describe("summarizeRun and rowsToRetry", () => {
  test("counts per outcome, unchanged, not started; predicted against actual makespan", () => {
    expect(summarizeRun(manifest, results, selection)).toEqual({
      runId: "r1",
      planned: 4,
      ok: 1,
      failed: 1,
      timedOut: 1,
      unchanged: 1,
      notStarted: 1,
      predictedMakespanMs: 900,
      actualMakespanMs: 1200,
    });
  });

  test("with the manifest's parallelism, the actual makespan is on the same workers as the prediction", () => {
    // partition 1 took 1200 ms, partition 2 took 10 ms: on one worker they run one after the other
    expect(summarizeRun({ ...manifest, parallelism: 1 }, results).actualMakespanMs).toBe(1210);
    expect(summarizeRun({ ...manifest, parallelism: 2 }, results).actualMakespanMs).toBe(1200);
  });

  test("retry takes the repositories that did not finish ok; a later ok result of the same run removes one", () => {
    expect(rowsToRetry(manifest, results).map((r) => r.key)).toEqual(["b", "c", "d"]);
    const retried = [...results, result("r1", 3, [resultEntry("b", 2, { finishedAt: "2026-12-01T00:00:00.000Z" })])];
    expect(rowsToRetry(manifest, retried).map((r) => r.key)).toEqual(["c", "d"]);
  });
});
