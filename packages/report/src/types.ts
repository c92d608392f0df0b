import type { BuildOutcome, StepName } from "@mass-ingest/contract";

/**
 * How one repository ended in a run: a finished build's outcome (the contract's), `unchanged` (skipped because
 * nothing changed) or `not-started` (planned, but no attempt finished it).
 */
export type ReportOutcome = BuildOutcome | "unchanged" | "not-started";

/** One repository of the run, as the run's records tell it. */
export interface ReportRepo {
  /** Row of repos.csv (1-based, header excluded). */
  row: number;
  /** The repository's path (org/repo). */
  repository: string;
  /** Clone URL; credentials are masked again when the report is written. */
  cloneUrl: string;
  /** Partition that ran it (0 when it was not planned, e.g. unchanged). */
  partition: number;
  outcome: ReportOutcome;
  /** The step that failed or timed out. */
  step?: StepName;
  /** Error text (the first meaningful line is what failures are grouped by). */
  error?: string;
  /** The failure's cause (auth, toolchain, transient, build, ...; docs/triage.md), when recorded. */
  cause?: string;
  /** Milliseconds per step. */
  durations?: { sync?: number; build?: number; publish?: number };
  /** ISO time the repository finished. */
  finishedAt?: string;
  /** Link (URL) or path of its build log. */
  log?: string;
}

/** One partition (one array child) of the run. */
export interface ReportPartition {
  partition: number;
  /** ISO times the processor attempt started and finished (unset: never ran / still running). */
  startedAt?: string;
  finishedAt?: string;
  /** The plan's predicted duration. */
  predictedMs?: number;
  /** Repositories planned into it. */
  repos: number;
  /** Its repositories that failed or timed out in this attempt (absent: none, or not known). */
  failed?: number;
  /** Which run of the night ran it: 0 the first run, 1 its first retry, ... (absent: 0). */
  attempt?: number;
  /** The id of that run (set when the night has retries). */
  runId?: string;
}

/** The run as a whole. */
export interface ReportRun {
  runId: string;
  /** ISO time the run was submitted. */
  startedAt: string;
  /** ISO time the last partition finished (default: the latest partition finish). */
  finishedAt?: string;
  /** The plan's predicted makespan. */
  predictedMakespanMs?: number;
  /** vCPUs of one processor container (for vCPU-hours). */
  vcpusPerPartition?: number;
  /** Price of one vCPU-hour, for the cost estimate (unset: no cost line). */
  pricePerVcpuHour?: number;
  /** Where repos.csv was read from. */
  csv?: string;
  /** The retries folded into this report (the night as a whole), oldest first; absent: none. */
  retries?: ReadonlyArray<{ runId: string; startedAt: string }>;
}

/** One earlier run, for the trend charts. */
export interface ReportTrendPoint {
  runId: string;
  startedAt: string;
  built: number;
  unchanged: number;
  failed: number;
  wallMs: number;
}

/** How old the LSTs are against a freshness target (computed from the state by `@mass-ingest/state`'s `freshness`). */
export interface ReportFreshness {
  targetMs: number;
  total: number;
  outside: number;
  byReason: Record<string, number>;
  medianAgeMs: number | null;
  maxAgeMs: number | null;
  /** Outside the target, oldest first. */
  repos: ReadonlyArray<{ key: string; ageMs: number | null; reason: string; cause?: string }>;
}

/** Everything a report is made from. */
export interface ReportInput {
  run: ReportRun;
  partitions: readonly ReportPartition[];
  repos: readonly ReportRepo[];
  /** Earlier runs, oldest first (this run is added at the end). */
  trends?: readonly ReportTrendPoint[];
  /** The state's freshness at the time of the report. */
  freshness?: ReportFreshness;
}

/** Counts of one run. */
export interface ReportTotals {
  repos: number;
  ok: number;
  failed: number;
  timedOut: number;
  unchanged: number;
  notStarted: number;
}

/** Failures that share a step and a first meaningful line. */
export interface FailureGroup {
  /** The failure cause the group shares ("unknown" when none was recorded). */
  cause: string;
  step: string;
  line: string;
  repos: { repository: string; cloneUrl: string; row: number; outcome: ReportOutcome; log?: string }[];
}

/** The report's data: what the HTML shows, also written as JSON. */
export interface ReportData {
  kind: "mass-ingest/run-report";
  version: 1;
  run: ReportRun;
  totals: ReportTotals;
  wallMs?: number;
  actualMakespanMs?: number;
  vcpuHours?: number;
  estimatedCost?: number;
  partitions: ReportPartition[];
  /** Build durations (ms) of the repositories that built. */
  buildDurations: number[];
  slowest: { repository: string; row: number; totalMs: number; buildMs?: number; outcome: ReportOutcome; log?: string }[];
  failures: FailureGroup[];
  trends: ReportTrendPoint[];
  freshness?: ReportFreshness;
}
