/**
 * The parts of the state store's run records that the report reads, declared structurally: the records and the
 * store of `@mass-ingest/state` fit them as they are, and this package's published types need neither that
 * package nor Node's types (the state store's S3 options bring the AWS SDK's).
 */
import type { BuildOutcome, StepName } from "@mass-ingest/contract";

/** A repository's step durations (ms; a step not reached is absent). */
export interface RecordDurations {
  syncMs?: number | undefined;
  buildMs?: number | undefined;
  publishMs?: number | undefined;
}

/** One finished repository of a partition result record. */
export interface RecordEntry {
  key: string;
  row: number;
  /** Clone URL, credentials stripped. */
  cloneUrl: string;
  outcome: BuildOutcome;
  /** The step that failed or timed out (absent in records written before it was recorded). */
  step?: StepName | undefined;
  /** The repository's path, e.g. "org/repo" (absent in records written before it was recorded). */
  repository?: string | undefined;
  durations: RecordDurations;
  finishedAt: string;
  logs?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
}

/** A partition's result record. */
export interface RecordResult {
  partition: number;
  /** Its last write. */
  updatedAt: string;
  /** Start time of each processor attempt, oldest first (absent in older records). */
  attempts?: readonly string[] | undefined;
  repos: readonly RecordEntry[];
}

/** A run's manifest (the plan). */
export interface RecordManifest {
  runId: string;
  createdAt: string;
  predictedMakespanMs: number;
  /** The run this one retries (absent: a run of its own, or a retry recorded before it was written). */
  retryOf?: string | undefined;
  csv: { location: string };
  partitions: ReadonlyArray<{ partition: number; predictedMs: number; rows: ReadonlyArray<{ row: number; key: string }> }>;
}

/** A run's selection record: the repositories skipped as unchanged. */
export interface RecordSelection {
  unchanged: ReadonlyArray<{ row: number; key: string }>;
}

/** What the report needs of a state store (`openStateStore` of `@mass-ingest/state` returns one). */
export interface RunRecordStore {
  /** The store's location, for messages. */
  readonly url: string;
  /** Where a key lives (a path or s3:// URL). */
  location(key: string): string;
  listRuns(): Promise<string[]>;
  /** Throws a MassIngestError (code PLAN_NOT_FOUND, …) when the run has no readable manifest. */
  readManifest(runId: string): Promise<RecordManifest>;
  readResults(runId: string): Promise<RecordResult[]>;
  readSelection(runId: string): Promise<RecordSelection | undefined>;
  readonly backend: { write(key: string, text: string): Promise<unknown> };
}
