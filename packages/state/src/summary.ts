/** What `status` and `retry` need of a run's records. Pure. */
import type { ClosedRun } from "./close.js";
import { predictMakespan } from "./makespan.js";
import type { PartitionResult, ResultEntry, RunManifest, SelectionRecord } from "./records.js";

export interface RunSummary {
  runId: string;
  /** Repositories planned (built tonight or to be). */
  planned: number;
  ok: number;
  failed: number;
  timedOut: number;
  /** Skipped by selection as unchanged (0 without a selection record). */
  unchanged: number;
  /** Planned but without a result yet (not started, or the attempt died before it). */
  notStarted: number;
  predictedMakespanMs: number;
  /**
   * The makespan of the finished sync+build+publish times so far, on the workers the prediction was made for
   * (the manifest's `parallelism`, see predictMakespan): without it, the longest partition's sum.
   */
  actualMakespanMs: number;
  /** The run was closed (closeRun): it will never finish; its `notStarted` repositories were never reached. */
  closed?: { closedAt: string; reason: string; partitions: number[] };
}

const totalMs = (e: ResultEntry) => (e.durations.syncMs ?? 0) + (e.durations.buildMs ?? 0) + (e.durations.publishMs ?? 0);

/** The latest result per repository key of a run (a retry's result replaces the earlier one). */
function latestByKey(results: readonly PartitionResult[]): Map<string, ResultEntry> {
  const latest = new Map<string, ResultEntry>();
  for (const r of results) {
    for (const e of r.repos) {
      const seen = latest.get(e.key);
      if (!seen || Date.parse(seen.finishedAt) <= Date.parse(e.finishedAt)) latest.set(e.key, e);
    }
  }
  return latest;
}

/** The partitions' finished times, in the plan's order, on the manifest's workers: the figure predicted. */
function actualMakespan(manifest: RunManifest, results: readonly PartitionResult[]): number {
  const byPartition = new Map<number, number>();
  for (const r of results) byPartition.set(r.partition, (byPartition.get(r.partition) ?? 0) + r.repos.reduce((s, e) => s + totalMs(e), 0));
  if (manifest.parallelism === undefined) return Math.max(0, ...byPartition.values());
  const ordered = manifest.partitions.map((p) => byPartition.get(p.partition) ?? 0);
  return predictMakespan(ordered, manifest.parallelism);
}

/** Per run: built ok / failed / timed out / unchanged / not started, predicted against actual makespan. */
export function summarizeRun(
  manifest: RunManifest,
  results: readonly PartitionResult[],
  selection?: SelectionRecord,
  closed?: ClosedRun,
): RunSummary {
  const latest = latestByKey(results);
  const keys = manifest.partitions.flatMap((p) => p.rows.map((r) => r.key));
  const outcomes = keys.map((k) => latest.get(k)?.outcome);
  const actualMakespanMs = actualMakespan(manifest, results);
  return {
    runId: manifest.runId,
    planned: keys.length,
    ok: outcomes.filter((o) => o === "ok").length,
    failed: outcomes.filter((o) => o === "failed").length,
    timedOut: outcomes.filter((o) => o === "timed-out").length,
    unchanged: selection?.unchanged.length ?? 0,
    notStarted: outcomes.filter((o) => o === undefined).length,
    predictedMakespanMs: manifest.predictedMakespanMs,
    actualMakespanMs,
    ...(closed
      ? { closed: { closedAt: closed.closedAt, reason: closed.reason, partitions: closed.notReached.map((p) => p.partition) } }
      : {}),
  };
}

/** The planned rows of a run that did not finish ok (failed, timed out, or never reached): what `retry` submits. */
export function rowsToRetry(
  manifest: RunManifest,
  results: readonly PartitionResult[],
): Array<{ row: number; key: string; predictedMs: number }> {
  const latest = latestByKey(results);
  return manifest.partitions
    .flatMap((p) => p.rows)
    .filter((r) => latest.get(r.key)?.outcome !== "ok")
    .sort((a, b) => a.row - b.row);
}

/** The keys whose latest result failed for `memory` (docs/triage.md): a retry runs them on a larger job definition. */
export function memoryFailures(results: readonly PartitionResult[]): Set<string> {
  return new Set([...latestByKey(results)].filter(([, e]) => e.outcome !== "ok" && e.cause === "memory").map(([key]) => key));
}
