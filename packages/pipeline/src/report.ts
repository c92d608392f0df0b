import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RepoOutcome, StepName } from "@mass-ingest/contract";
import type { RepoTrace } from "./cli/trace.js";
import type { JdkRemedy } from "./triage/remedy.js";
import type { ArtifactStoreKind } from "./configure.js";

/** Final state of one repository: the contract's outcome (see REPO_OUTCOMES of @mass-ingest/contract). */
export type RepoStatus = RepoOutcome;

/** The steps a group of repositories goes through, in order (the contract's STEP_NAMES). */
export type { StepName };

/** One finished step of a group. */
export interface StepRecord {
  step: StepName;
  exitCode: number | null;
  durationMs: number;
  signal?: string;
  timedOut?: boolean;
  aborted?: boolean;
}

/** One repository's result in the report. */
export interface RepoResult {
  row: number;
  /** The clone URL (user info masked); absent for an invalid row that had none. */
  cloneUrl?: string;
  origin?: string;
  path?: string;
  branch?: string;
  /** The commit `mod git sync` checked out (`git rev-parse HEAD` in its clone); absent when the sync failed. */
  commit?: string;
  /** Rows processed by the same `mod` calls share a group (BATCH_SIZE > 1). */
  group: string;
  status: RepoStatus;
  /** The step that failed / timed out / was interrupted. */
  failedStep?: StepName;
  /** Human reason for failed / timed-out / skipped (redacted; ends with the CLI's last output lines). */
  reason?: string;
  /** True when the run was interrupted (SIGTERM / SIGINT) before this repository finished. */
  interrupted?: boolean;
  steps: StepRecord[];
  /** Per-step durations (ms) and exit codes, for quick reading. */
  durationsMs: Partial<Record<StepName, number>>;
  exitCodes: Partial<Record<StepName, number | null>>;
  /** Where this repository's logs went (the run's zips) and, when kept, its work directory. */
  logs: { syncLog?: string; buildLog?: string; workDir?: string };
  /** What the CLI's trace.csv said of it (outcomes, changeset, CLI version, times, build tools, counts). */
  trace?: RepoTrace;
  /** The JDK it was built with instead of its row's (a toolchain remedy: docs/triage.md). */
  remedy?: JdkRemedy;
}

/** Where one log artifact of the run ended up. */
export interface ArtifactLocation {
  /** Local file under the data directory. */
  local?: string;
  /** Uploaded location (no credentials), when a log store is configured and the upload worked. */
  uploaded?: string;
  /** Why the upload failed (redacted). */
  error?: string;
}

export interface RunTotals {
  repos: number;
  ok: number;
  failed: number;
  timedOut: number;
  skipped: number;
  /** Repositories an interrupted run never started. */
  notStarted: number;
}

/** The JSON report of one processor run. */
export interface RunReport {
  version: 1;
  runId?: string;
  /** `START-END` or `all`. */
  index: string;
  /** UTC YYYYMMDDHHmm of the run's start (the TS of the log layout). */
  ts: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Signal name when the run was interrupted. */
  interrupted?: string;
  /** Artifact store `mod publish` used, or undefined when LSTs were kept locally. */
  store?: ArtifactStoreKind;
  published: boolean;
  /** Where the work directories are (`DATA_DIR/work`, one folder per repository); set when LSTs were kept in them. */
  workRoot?: string;
  batchSize: number;
  concurrency: { sync: number; build: number; publish: number; maxPending: number };
  buildTimeoutMs: number;
  totals: RunTotals;
  /** Mean time per repository spent in our own work between the CLI calls (work dir / csv set-up and clean-up), ms. */
  overheadMsPerRepo: number;
  /**
   * Mean time per repository between steps that is neither a CLI call, a queue wait nor our own work: event-loop
   * latency (high when child processes saturate the CPUs), ms.
   */
  schedulingMsPerRepo: number;
  logs: { syncLog: ArtifactLocation; buildLog: ArtifactLocation; report: ArtifactLocation };
  repos: RepoResult[];
}

/** Count statuses. */
export function totalsOf(repos: readonly RepoResult[]): RunTotals {
  const totals: RunTotals = { repos: repos.length, ok: 0, failed: 0, timedOut: 0, skipped: 0, notStarted: 0 };
  for (const r of repos) {
    if (r.status === "ok") totals.ok++;
    else if (r.status === "failed") totals.failed++;
    else if (r.status === "timed-out") totals.timedOut++;
    else if (r.status === "not-started") totals.notStarted++;
    else totals.skipped++;
  }
  return totals;
}

/** Write JSON atomically: a temp file in the same directory, then rename. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, file);
}
