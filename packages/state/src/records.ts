/**
 * The record shapes the state store holds, each versioned `{ kind: "mass-ingest/…", version: 1, ... }` and
 * validated with zod on read. Types only and schemas here; reading and writing is in `parse.ts` and the store.
 */
import { FAILURE_CAUSES, STEP_NAMES } from "@mass-ingest/contract";
import { z } from "zod";
import { outcomeSchema } from "./outcome-on-disk.js";

export const RECORD_VERSION = 1;
export const KINDS = {
  state: "mass-ingest/state",
  manifest: "mass-ingest/run-manifest",
  result: "mass-ingest/partition-result",
  selection: "mass-ingest/selection",
} as const;

const iso = z.string().min(1);
const ms = z.number().finite().nonnegative();
/** The contract's BuildOutcome; `outcome-on-disk.ts` maps it to and from the spelling records are written with. */
const outcome = outcomeSchema;

/** A JDK a repository builds with instead of its row's (docs/triage.md), while the row's `java` stays `rowJava`. */
const remedySchema = z.object({ jdk: z.string().min(1), rowJava: z.string().optional() });
/** The toolchain remedy of a repository: the JDK that built it, found while its row's `java` was `rowJava`. */
export type RemedyRecord = z.infer<typeof remedySchema>;

const durations = z.object({ syncMs: ms.optional(), buildMs: ms.optional(), publishMs: ms.optional() });
/** Per-step durations of one repository's build, in milliseconds (a step not reached is absent). */
export type StepDurations = z.infer<typeof durations>;

/** The fields of one finished build that the state entry and a partition's result entry share (same order in both). */
const finishedBuild = {
  /** Commit built (absent when the sync never got one). */
  commit: z.string().optional(),
  fingerprint: z.string(),
  outcome,
  durations,
  finishedAt: iso,
  /** Where its logs went (a path or URL, credentials stripped). */
  logs: z.string().optional(),
  /**
   * The CLI's `reproducible` verdict for this build (repos-lock.csv, or the build's metadata); absent when unknown.
   * false: dependencies may change without a commit, so the build is redone after the drift age (drift.ts).
   */
  reproducible: z.boolean().optional(),
};

export const stateEntrySchema = z.object({
  ...finishedBuild,
  runId: z.string(),
  /** sync+build+publish ms of the last ok build, carried over failed ones (the duration prediction uses it). */
  lastOkMs: ms.optional(),
  /** Finish time of the last ok build (carried over failed ones): when its LST was made. */
  lastOkAt: iso.optional(),
  /** When a later run last found the last ok build still current (unchanged commit): its LST is fresh as of then. */
  checkedAt: iso.optional(),
  /** Failing nights in a row, transient failures not counted (quarantine.ts); absent after an ok build. */
  failStreak: z.number().int().nonnegative().optional(),
  /** Finish time of the streak's first failure. */
  failingSince: iso.optional(),
  /** The last failure's cause. */
  cause: z.enum(FAILURE_CAUSES).optional(),
  /** The JDK the next run builds it with (a toolchain remedy that worked), until its row's `java` changes. */
  remedy: remedySchema.optional(),
});
/** What the state remembers of one repository: its last finished build. */
export type StateEntry = z.infer<typeof stateEntrySchema>;

/** The state file's outer shape; entries are validated one by one so one bad entry costs only that repository. */
export const stateFileSchema = z.object({
  kind: z.literal(KINDS.state),
  version: z.literal(RECORD_VERSION),
  updatedAt: iso,
  repos: z.record(z.string(), z.unknown()),
  /** Runs whose result records are not fully folded yet (the chunker folds them at the next submit/status). */
  pendingRuns: z.array(z.string()).default([]),
  /** A staged rollout of a fingerprint change under way (rollout.ts). */
  rollout: z
    .object({
      status: z.enum(["canary", "spreading", "stopped"]),
      startedAt: iso,
      canary: z.array(z.string()),
      baselineFailureRate: z.number().min(0).max(1),
      canaryFailureRate: z.number().min(0).max(1).optional(),
      spreadStartedAt: iso.optional(),
      alertedAt: iso.optional(),
    })
    .optional(),
});

/** The state in memory: readable entries by key, plus the keys whose entries could not be read (built: doubt). */
export interface RunState {
  updatedAt: string;
  repos: Record<string, StateEntry>;
  /** Entries that failed validation, kept verbatim so a write does not lose them; `select` builds these. */
  unreadable: Record<string, unknown>;
  /** Runs whose result records are not fully folded yet (see `foldPendingRuns`). */
  pendingRuns: string[];
  /** A staged rollout under way (rollout.ts). */
  rollout?: z.infer<typeof stateFileSchema>["rollout"];
}

const plannedRow = z.object({ row: z.number().int().positive(), key: z.string(), predictedMs: ms, remedy: remedySchema.optional() });
export const manifestSchema = z.object({
  kind: z.literal(KINDS.manifest),
  version: z.literal(RECORD_VERSION),
  runId: z.string().min(1),
  csv: z.object({ location: z.string(), rowCount: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  createdAt: iso,
  timeBudgetMs: ms,
  predictedMakespanMs: ms,
  /** The run this one retries (`retry` writes it; absent: a run of its own). */
  retryOf: z.string().min(1).optional(),
  /** The workers predictedMakespanMs is for (partitions that run at once); absent: one per partition. */
  parallelism: z.number().int().positive().optional(),
  /** In array-index order: array child i runs partitions[i]. */
  partitions: z.array(z.object({ partition: z.number().int().positive(), predictedMs: ms, rows: z.array(plannedRow) })),
});
/** A run's plan: which csv (row count, checksum) and which rows each partition builds. */
export type RunManifest = Omit<z.infer<typeof manifestSchema>, "kind" | "version">;
export type ManifestPartition = RunManifest["partitions"][number];

const count = z.number().int().nonnegative();
const traceSchema = z.object({
  outcomes: z.record(z.string(), z.string()).optional(),
  changeset: z.string().optional(),
  cliVersion: z.string().optional(),
  elapsedMs: z.record(z.string(), ms).optional(),
  buildTools: z.record(z.string(), z.string()).optional(),
  sourceFiles: count.optional(),
  lines: count.optional(),
  parseErrors: count.optional(),
  buildId: z.string().optional(),
  publishId: z.string().optional(),
  publishUri: z.string().optional(),
  lstDownloadUri: z.string().optional(),
});
/** What the CLI's trace.csv said of one repository (stage outcomes as written, changeset, CLI version, times, tools, counts). */
export type RepoTraceRecord = z.infer<typeof traceSchema>;

export const resultEntrySchema = z.object({
  key: z.string(),
  row: z.number().int().positive(),
  /** Clone URL with credentials stripped. */
  cloneUrl: z.string(),
  ...finishedBuild,
  /** First line of the error when the outcome is not ok. */
  error: z.string().optional(),
  /** The step that failed or timed out (absent when ok, in records written before it was recorded, and for an error outside any step). */
  step: z.enum(STEP_NAMES).optional(),
  /** The repository's path, e.g. "org/repo" (absent in records written before it was recorded). */
  repository: z.string().optional(),
  /** Why it failed (docs/triage.md), when the outcome is not ok. */
  cause: z.enum(FAILURE_CAUSES).optional(),
  /** What the CLI's trace.csv said (optional: added later). */
  trace: traceSchema.optional(),
  /** The JDK it was built with instead of its row's (a toolchain remedy). */
  remedy: remedySchema.optional(),
  /** A `memory` failure: the MiB its build had (the container's memory / builds at once); it needs more than this. */
  memoryMiB: z.number().int().positive().optional(),
});
/** One finished repository of a partition. */
export type ResultEntry = z.infer<typeof resultEntrySchema>;

export const resultFileSchema = z.object({
  kind: z.literal(KINDS.result),
  version: z.literal(RECORD_VERSION),
  runId: z.string().min(1),
  partition: z.number().int().positive(),
  updatedAt: iso,
  /** ISO start time of each processor attempt that recorded into it, oldest first (optional: added later). */
  attempts: z.array(iso).optional(),
  repos: z.array(z.unknown()),
});
/** A partition's result record: every repository finished so far, written whole after each one. */
export interface PartitionResult {
  runId: string;
  partition: number;
  updatedAt: string;
  /** ISO start time of each processor attempt that recorded into it, oldest first (absent in older records). */
  attempts?: string[];
  repos: ResultEntry[];
}

const counts = z.object({
  neverBuilt: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  fingerprintChanged: z.number().int().nonnegative(),
  failedLastTime: z.number().int().nonnegative(),
  stale: z.number().int().nonnegative(),
  /** Not reproducible last time and older than the drift age (absent in records written before it existed). */
  drift: z.number().int().nonnegative().optional(),
  full: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  /** Fingerprint-changed repositories held back for a later night of a staged rollout (rollout.ts). */
  rolloutPending: z.number().int().nonnegative().optional(),
  /** Failing repositories not tried tonight: quarantined until a new commit, a release or their weekly try. */
  quarantined: z.number().int().nonnegative().optional(),
});
/** How many rows were selected for each reason, and how many were skipped as unchanged. */
export type SelectionCounts = z.infer<typeof counts>;

export const selectionSchema = z.object({
  kind: z.literal(KINDS.selection),
  version: z.literal(RECORD_VERSION),
  runId: z.string().min(1),
  createdAt: iso,
  counts,
  unchanged: z.array(z.object({ row: z.number().int().positive(), key: z.string(), commit: z.string() })),
});
/** A run's selection: the counts and every repository skipped as unchanged, with the commit it was checked at. */
export type SelectionRecord = Omit<z.infer<typeof selectionSchema>, "kind" | "version">;
