import { stripUserInfo } from "@mass-ingest/core";
import { firstMeaningfulLine, groupKey } from "./first-line.js";
import type { FailureGroup, ReportData, ReportInput, ReportPartition, ReportRepo, ReportTotals, ReportTrendPoint } from "./types.js";

const SLOWEST = 20;
const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

function totalsOf(repos: readonly ReportRepo[]): ReportTotals {
  const t: ReportTotals = { repos: repos.length, ok: 0, failed: 0, timedOut: 0, unchanged: 0, notStarted: 0 };
  for (const r of repos) {
    if (r.outcome === "ok") t.ok++;
    else if (r.outcome === "failed") t.failed++;
    else if (r.outcome === "timed-out") t.timedOut++;
    else if (r.outcome === "unchanged") t.unchanged++;
    else t.notStarted++;
  }
  return t;
}

const totalMs = (r: ReportRepo) => (r.durations?.sync ?? 0) + (r.durations?.build ?? 0) + (r.durations?.publish ?? 0);

function failureGroups(repos: readonly ReportRepo[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const r of repos) {
    if (r.outcome !== "failed" && r.outcome !== "timed-out") continue;
    const step = r.step ?? (r.outcome === "timed-out" ? "build" : "unknown");
    const line = r.outcome === "timed-out" && !r.error ? "build timed out" : firstMeaningfulLine(r.error);
    const cause = r.cause ?? (r.outcome === "timed-out" ? "timeout" : "unknown");
    const key = `${cause}\u0000${step}\u0000${groupKey(line)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { cause, step, line, repos: [] }));
    g.repos.push({
      repository: r.repository,
      cloneUrl: stripUserInfo(r.cloneUrl),
      row: r.row,
      outcome: r.outcome,
      ...(r.log ? { log: r.log } : {}),
    });
  }
  // By cause (the largest cause first), then the largest group of it.
  const perCause = new Map<string, number>();
  for (const g of groups.values()) perCause.set(g.cause, (perCause.get(g.cause) ?? 0) + g.repos.length);
  return [...groups.values()].sort(
    (a, b) =>
      perCause.get(b.cause)! - perCause.get(a.cause)! ||
      a.cause.localeCompare(b.cause) ||
      b.repos.length - a.repos.length ||
      a.step.localeCompare(b.step),
  );
}

/** Wall time (submit to last finish) and the makespan (first partition start to last finish). */
function times(input: ReportInput): { wallMs?: number; makespanMs?: number; finishedAt?: string } {
  const starts = input.partitions.map((p) => ms(p.startedAt)).filter((t): t is number => t !== undefined);
  const ends = input.partitions.map((p) => ms(p.finishedAt)).filter((t): t is number => t !== undefined);
  const end = ms(input.run.finishedAt) ?? (ends.length ? Math.max(...ends) : undefined);
  const submitted = ms(input.run.startedAt);
  const out: { wallMs?: number; makespanMs?: number; finishedAt?: string } = {};
  if (end !== undefined && submitted !== undefined) out.wallMs = Math.max(0, end - submitted);
  if (end !== undefined && starts.length) out.makespanMs = Math.max(0, end - Math.min(...starts));
  if (end !== undefined) out.finishedAt = new Date(end).toISOString();
  return out;
}

function vcpuHours(partitions: readonly ReportPartition[], vcpus: number): number {
  let hours = 0;
  for (const p of partitions) {
    const a = ms(p.startedAt);
    const b = ms(p.finishedAt);
    if (a !== undefined && b !== undefined && b > a) hours += ((b - a) / 3_600_000) * vcpus;
  }
  return Math.round(hours * 1000) / 1000;
}

/** This run as a trend point, appended to the earlier ones. */
function trendsWith(input: ReportInput, totals: ReportTotals, wallMs: number | undefined): ReportTrendPoint[] {
  const self: ReportTrendPoint = {
    runId: input.run.runId,
    startedAt: input.run.startedAt,
    built: totals.ok + totals.failed + totals.timedOut,
    unchanged: totals.unchanged,
    failed: totals.failed + totals.timedOut,
    wallMs: wallMs ?? 0,
  };
  return [...(input.trends ?? []).filter((t) => t.runId !== input.run.runId), self];
}

const broke = (r: ReportRepo) => r.outcome === "failed" || r.outcome === "timed-out";

/** The partitions in run then partition order; one without a failure count gets it from the repositories it ran. */
function partitionsOf(input: ReportInput): ReportPartition[] {
  return [...input.partitions]
    .map((p) =>
      p.failed !== undefined || (p.attempt ?? 0) > 0
        ? p
        : { ...p, failed: input.repos.filter((r) => r.partition === p.partition && broke(r)).length },
    )
    .sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0) || a.partition - b.partition);
}

/** Everything the page shows, computed from the run's records. Pure. */
export function buildReportData(input: ReportInput): ReportData {
  const totals = totalsOf(input.repos);
  const { wallMs, makespanMs, finishedAt } = times(input);
  const vcpus = input.run.vcpusPerPartition ?? 1;
  const hours = vcpuHours(input.partitions, vcpus);
  const built = input.repos.filter((r) => r.durations?.build !== undefined);
  const slowest = [...input.repos]
    .filter((r) => totalMs(r) > 0)
    .sort((a, b) => totalMs(b) - totalMs(a))
    .slice(0, SLOWEST)
    .map((r) => ({
      repository: r.repository,
      row: r.row,
      totalMs: totalMs(r),
      outcome: r.outcome,
      ...(r.durations?.build !== undefined ? { buildMs: r.durations.build } : {}),
      ...(r.log ? { log: r.log } : {}),
    }));
  const data: ReportData = {
    kind: "mass-ingest/run-report",
    version: 1,
    run: { ...input.run, ...(input.run.finishedAt || !finishedAt ? {} : { finishedAt }) },
    totals,
    partitions: partitionsOf(input),
    buildDurations: built.map((r) => r.durations!.build!),
    slowest,
    failures: failureGroups(input.repos),
    trends: trendsWith(input, totals, wallMs),
    vcpuHours: hours,
  };
  if (input.freshness) data.freshness = input.freshness;
  if (wallMs !== undefined) data.wallMs = wallMs;
  if (makespanMs !== undefined) data.actualMakespanMs = makespanMs;
  if (input.run.pricePerVcpuHour !== undefined) data.estimatedCost = Math.round(hours * input.run.pricePerVcpuHour * 100) / 100;
  return data;
}
