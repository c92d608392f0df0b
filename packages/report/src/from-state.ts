/** The state store's run records (manifest, partition results, selection) as a report's input. Pure. */
import type { StepName } from "@mass-ingest/contract";
import { stripUserInfo } from "@mass-ingest/core";
import type { RecordEntry, RecordManifest, RecordResult, RecordSelection } from "./records.js";
import type { ReportFreshness, ReportInput, ReportPartition, ReportRepo, ReportTrendPoint } from "./types.js";

/** What the state store holds of one run. */
export interface RunRecords {
  manifest: RecordManifest;
  results: readonly RecordResult[];
  selection?: RecordSelection | undefined;
}

/** Settings of the report that the records do not hold. */
export interface FromRecordsOptions {
  /** Earlier runs, oldest first (see `trendPointOf`). */
  trends?: readonly ReportTrendPoint[];
  /** Price of one vCPU-hour in USD, for the cost estimate. */
  pricePerVcpuHour?: number;
  /** vCPUs of one processor container. */
  vcpusPerPartition?: number;
  /** The state's freshness (see ReportFreshness). */
  freshness?: ReportFreshness;
  /**
   * The runs that retried this one the same night, oldest first: the report shows the night as a whole (each
   * repository's latest outcome across the runs, every run's partitions on the timeline as its attempt).
   */
  retries?: readonly RunRecords[];
}

const entryMs = (e: RecordEntry) => (e.durations.syncMs ?? 0) + (e.durations.buildMs ?? 0) + (e.durations.publishMs ?? 0);

/** The latest entry per repository key (an attempt's later result replaces an earlier one). */
function latestByKey(results: readonly RecordResult[]): Map<string, RecordEntry> {
  const latest = new Map<string, RecordEntry>();
  for (const r of results) {
    for (const e of r.repos) {
      const seen = latest.get(e.key);
      if (!seen || Date.parse(seen.finishedAt) <= Date.parse(e.finishedAt)) latest.set(e.key, e);
    }
  }
  return latest;
}

/**
 * What a row's state key alone tells: its clone URL (`<normalized url>#branch@changeset` without the pin) and
 * "org/repo". Only for what the records give by key alone: rows with no result entry (not started, unchanged)
 * and result entries written before the repository was recorded in them.
 */
function fromKey(key: string): { cloneUrl: string; repository: string } {
  const cloneUrl = key.replace(/#.*$/, "").replace(/@[^/@]*$/, "");
  const url = stripUserInfo(cloneUrl).trim();
  const scp = /^[^/:]+:(?!\/\/)(.+)$/.exec(url.replace(/^[^@/]+@/, ""));
  const repoPath = url.includes("://") ? url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "") : scp ? (scp[1] as string) : url;
  const trimmed = repoPath
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .replace(/^\/+/, "");
  return { cloneUrl, repository: trimmed || url };
}

/** The step of a result entry written before the step was recorded: the last step it has a duration for. */
function stepOfOldEntry(e: RecordEntry): StepName {
  if (e.durations.publishMs !== undefined) return "publish";
  if (e.durations.buildMs !== undefined) return "build";
  return "sync";
}

function repoOf(partition: number, row: number, key: string, e: RecordEntry | undefined): ReportRepo {
  if (!e) return { row, ...fromKey(key), partition, outcome: "not-started" };
  const repository = e.repository ?? fromKey(e.cloneUrl).repository;
  const repo: ReportRepo = { row, repository, cloneUrl: e.cloneUrl, partition, outcome: e.outcome };
  const d = e.durations;
  repo.durations = {
    ...(d.syncMs !== undefined ? { sync: d.syncMs } : {}),
    ...(d.buildMs !== undefined ? { build: d.buildMs } : {}),
    ...(d.publishMs !== undefined ? { publish: d.publishMs } : {}),
  };
  repo.finishedAt = e.finishedAt;
  if (e.logs) repo.log = e.logs;
  if (e.outcome !== "ok") {
    repo.step = e.step ?? stepOfOldEntry(e);
    if (e.error) repo.error = e.error;
    if (e.cause) repo.cause = e.cause;
  }
  return repo;
}

/** When a partition ran: its first attempt's start (else its earliest repository's start) to its last write. */
function partitionTimes(result: RecordResult | undefined): { startedAt?: string; finishedAt?: string } {
  if (!result || result.repos.length === 0) return {};
  const firstAttempt = result.attempts?.[0];
  const earliest = Math.min(...result.repos.map((e) => Date.parse(e.finishedAt) - entryMs(e)));
  const startedAt = firstAttempt ?? (Number.isFinite(earliest) ? new Date(earliest).toISOString() : undefined);
  return { ...(startedAt ? { startedAt } : {}), finishedAt: result.updatedAt };
}

/** Every repository of the run: planned ones by their latest result (or not started), then the unchanged ones. */
function reposOf(records: RunRecords): ReportRepo[] {
  const latest = latestByKey(records.results);
  const repos = records.manifest.partitions.flatMap((p) => p.rows.map((r) => repoOf(p.partition, r.row, r.key, latest.get(r.key))));
  for (const u of records.selection?.unchanged ?? []) {
    repos.push({ row: u.row, ...fromKey(u.key), partition: 0, outcome: "unchanged" });
  }
  return repos.sort((a, b) => a.row - b.row);
}

/** Repositories of a partition's result whose latest entry failed or timed out. */
function failedIn(result: RecordResult | undefined): number {
  return [...latestByKey(result ? [result] : []).values()].filter((e) => e.outcome === "failed" || e.outcome === "timed-out").length;
}

/** One run's partitions; `attempt` (0 the first run, 1 its first retry, ...) and the run id when the night has retries. */
function partitionsOfRun(records: RunRecords, attempt: number, night: boolean): ReportPartition[] {
  const byPartition = new Map(records.results.map((r) => [r.partition, r] as const));
  return records.manifest.partitions.map((p) => ({
    partition: p.partition,
    predictedMs: p.predictedMs,
    repos: p.rows.length,
    failed: failedIn(byPartition.get(p.partition)),
    ...(night ? { attempt, runId: records.manifest.runId } : {}),
    ...partitionTimes(byPartition.get(p.partition)),
  }));
}

/** The report's input from one run's records (and those of its retries: the night as a whole). */
export function reportInputFromRecords(records: RunRecords, options: FromRecordsOptions = {}): ReportInput {
  const { manifest } = records;
  const retries = options.retries ?? [];
  const runs = [records, ...retries];
  const partitions = runs.flatMap((r, attempt) => partitionsOfRun(r, attempt, retries.length > 0));
  const night: RunRecords = { ...records, results: runs.flatMap((r) => r.results) };
  return {
    run: {
      runId: manifest.runId,
      startedAt: manifest.createdAt,
      predictedMakespanMs: manifest.predictedMakespanMs,
      csv: stripUserInfo(manifest.csv.location),
      ...(options.vcpusPerPartition !== undefined ? { vcpusPerPartition: options.vcpusPerPartition } : {}),
      ...(options.pricePerVcpuHour !== undefined ? { pricePerVcpuHour: options.pricePerVcpuHour } : {}),
      ...(retries.length ? { retries: retries.map((r) => ({ runId: r.manifest.runId, startedAt: r.manifest.createdAt })) } : {}),
    },
    partitions,
    repos: reposOf(night),
    ...(options.trends ? { trends: options.trends } : {}),
    ...(options.freshness ? { freshness: options.freshness } : {}),
  };
}

/**
 * One run (with its `retries`: the night as a whole) as a point of the trend charts: built (ok, failed, timed
 * out), unchanged, failures, wall time.
 */
export function trendPointOf(first: RunRecords, retries: readonly RunRecords[] = []): ReportTrendPoint {
  const records: RunRecords = { ...first, results: [first, ...retries].flatMap((r) => r.results) };
  const latest = latestByKey(records.results);
  const outcomes = records.manifest.partitions.flatMap((p) => p.rows.map((r) => latest.get(r.key)?.outcome));
  const ends = records.results.map((r) => Date.parse(r.updatedAt)).filter((t) => Number.isFinite(t));
  const start = Date.parse(records.manifest.createdAt);
  return {
    runId: records.manifest.runId,
    startedAt: records.manifest.createdAt,
    built: outcomes.filter((o) => o !== undefined).length,
    unchanged: records.selection?.unchanged.length ?? 0,
    failed: outcomes.filter((o) => o === "failed" || o === "timed-out").length,
    wallMs: ends.length && Number.isFinite(start) ? Math.max(0, Math.max(...ends) - start) : 0,
  };
}
