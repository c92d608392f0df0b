import type { SkippedRow } from "@mass-ingest/contract";
import type { RepoRow } from "@mass-ingest/partition";
import type { ArtifactStoreKind } from "./configure.js";
import type { LogStore } from "./log-store.js";
import type { ModCli } from "./mod-cli.js";
import type { SecretRedactor } from "./redact.js";
import type { RepoResult, RunReport, StepName } from "./report.js";
import type { FailedUpload } from "./summary.js";
import type { JdkRemedy } from "./triage/remedy.js";
import type { TransientRetry } from "./triage/retry.js";

/** Concurrency limits per stage (defaults: DEFAULTS.concurrency of @mass-ingest/contract). */
export interface Concurrency {
  /** Parallel `mod git sync` calls (network bound). */
  sync: number;
  /** Parallel `mod build` calls (CPU / memory bound: each is a JVM plus Maven/Gradle). */
  build: number;
  /** Parallel `mod publish` calls (network bound). */
  publish: number;
  /** Groups synced (or syncing) but not yet building: bounds the disk used by clones waiting for a build slot. */
  maxPending: number;
}

/** Rows the caller already knows cannot run (invalid CSV rows): reported as skipped. */
export type { SkippedRow };

/** Which run artifact an upload event is about. */
export type UploadWhat = "syncLog" | "buildLog" | "report";

/** Progress events (all strings already redacted). */
export type PipelineEvent =
  | { type: "group-start"; group: string; rows: number[] }
  | { type: "step-start"; group: string; step: StepName; command: string }
  | { type: "step-end"; group: string; step: StepName; exitCode: number | null; durationMs: number; timedOut: boolean; aborted: boolean }
  | { type: "repo-done"; result: RepoResult }
  | { type: "upload"; what: UploadWhat; location: string }
  | { type: "upload-failed"; what: UploadWhat; error: string }
  | { type: "warning"; message: string }
  /**
   * A step is tried again for the rows whose failure was transient (triage/retry.ts), or a build with the JDK its
   * toolchain error names (`jdk`, triage/remedy.ts).
   */
  | {
      type: "retry";
      group: string;
      step: StepName;
      attempt: number;
      rows: number[];
      delayMs: number;
      cause: "transient" | "toolchain";
      jdk?: string;
    };

/** Timeouts of the steps other than the build, in ms. */
export interface StepTimeouts {
  /** SYNC_TIMEOUT (default DEFAULTS.stepTimeoutSeconds of @mass-ingest/contract: 1800 s). */
  sync: number;
  /** PUBLISH_TIMEOUT (default 1800 s). */
  publish: number;
  /** Each `mod log ... add` (default 300 s). */
  log: number;
}

/** What to run: the rows, the rows that cannot run, the run's id and each row's JDK. */
export interface PipelineRows {
  /** The rows to ingest (from @mass-ingest/partition). */
  repos: readonly RepoRow[];
  /** Invalid rows of the selection, reported as skipped. */
  skipped?: readonly SkippedRow[];
  /** The run's id, in the report. */
  runId?: string;
  /** Remedies by row from the state (a JDK that worked before): the row builds with it while its `java` is unchanged. */
  remedies?: ReadonlyMap<number, JdkRemedy>;
}

/** How much runs at once, how long each step may take, how often a transient failure is tried again. */
export interface PipelineLimits {
  /** Rows per `mod` call (BATCH_SIZE, default DEFAULTS.batchSize: 1). */
  batchSize?: number;
  /** Concurrency limits per stage (default DEFAULTS.concurrency). */
  concurrency?: Partial<Concurrency>;
  /** BUILD_TIMEOUT in ms (default DEFAULTS.buildTimeoutSeconds of @mass-ingest/contract). */
  buildTimeoutMs?: number;
  /** Timeouts of the other steps (SYNC_TIMEOUT, PUBLISH_TIMEOUT; defaults in StepTimeouts). */
  stepTimeoutsMs?: Partial<StepTimeouts>;
  /** Retries of a transient sync or publish failure in this run (default DEFAULT_TRANSIENT_RETRY: 2, after 15 s and 60 s). */
  transientRetry?: TransientRetry;
  /**
   * The run's deadline (RUN_DEADLINE / JOB_TIMEOUT: the job's attempt timeout in AWS Batch): no group starts that
   * cannot finish before it (its predicted time, else the build timeout, plus DEADLINE_RESERVE_MS for the uploads);
   * such groups are reported not-started. Upload retries stop there too.
   */
  deadline?: Date;
  /** Predicted sync+build+publish ms by row (from the run's plan); a group's estimate is the sum over its rows. */
  predictedMs?: ReadonlyMap<number, number>;
}

/** Where the run's output goes: the artifact store `mod publish` uses, and the store of the log zips and the report. */
export interface PipelineOutput {
  /** Run `mod publish` (only when an artifact store is configured). */
  publish?: boolean;
  /** Environment of each `mod publish` call only: the artifact store's MOD_LSTS_ARTIFACTS_* (see configureMod). */
  publishEnv?: Record<string, string>;
  /** The store `mod publish` uses, for the report. */
  store?: ArtifactStoreKind;
  /** Where the log zips and the report are uploaded; undefined = kept in the data directory only. */
  logStore?: LogStore;
  /** Keep each work directory after its group is done (default: keep when not publishing, so the LSTs stay). */
  keepWorkDirs?: boolean;
}

/** Who stops, redacts and hears the run. */
export interface PipelineObservers {
  /**
   * SIGTERM semantics: start nothing new, kill running sync/build, let running uploads finish, report. In ingest,
   * an abort during configuration still writes the report.
   */
  signal?: AbortSignal;
  /**
   * Redacts reasons, events and results (the ModCli already redacts its command lines and output); ingest registers
   * every secret it finds (git passwords, keys) here.
   */
  redactor?: SecretRedactor;
  /** Hears every event; a listener that throws never breaks the run. */
  onEvent?: (event: PipelineEvent) => void;
}

/** runPipeline's options: the run's parts, plus the CLI and where the run works. */
export interface PipelineOptions extends PipelineRows, PipelineLimits, PipelineOutput, PipelineObservers {
  /** The Moderne CLI runner (configured already: see configureMod). */
  cli: ModCli;
  /** Work directory (DATA_DIR): clones, log zips and the report live under it. */
  dataDir: string;
  /** `START-END` or `all` (see logIndex). */
  index: string;
  /** UTC YYYYMMDDHHmm; default now. */
  ts?: string;
  /** Java majors the machine has (see availableJdks): a toolchain failure naming one of them is built again with it. */
  jdks?: readonly number[];
}

/** What runPipeline returns. */
export interface PipelineResult {
  report: RunReport;
  /** Local path of the written report. */
  reportFile: string;
  summary: string;
  /** The run's files (log zips, report) whose upload failed: a run whose logs or report are lost has failed. */
  failedUploads: FailedUpload[];
}
