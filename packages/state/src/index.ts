/**
 * @mass-ingest/state: run state for incremental nightly runs. Keys and fingerprints, the versioned records, the
 * state store (local directory or S3), selection, prediction, time-budgeted planning and the ls-remote pass.
 */
export {
  DEFAULT_LOCK_STALE_MS,
  DEFAULT_LS_REMOTE_CONCURRENCY,
  DEFAULT_LS_REMOTE_TIMEOUT_MS,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_PREDICTED_MS,
  DEFAULT_TIME_BUDGET_MS,
  TIME_BUDGET_SHARE,
} from "./constants.js";
export { StateConflictError, StateError, StateLockedError } from "./errors.js";
export { fingerprint, normalizeCloneUrl, repoKey, sha256Hex, type FingerprintInput, type RepoRef } from "./keys.js";
export type {
  ManifestPartition,
  PartitionResult,
  RepoTraceRecord,
  ResultEntry,
  RunManifest,
  RunState,
  SelectionCounts,
  SelectionRecord,
  StateEntry,
  StepDurations,
} from "./records.js";
export { emptyState, type ManifestHead } from "./parse.js";
export { fold } from "./fold.js";
export { DEFAULT_MAX_AGE_JITTER, maxAgeFor } from "./jitter.js";
export {
  select,
  type BuildReason,
  type LsRemoteErrorKind,
  type RemoteHead,
  type Selection,
  type SelectOptions,
  type SelectRow,
} from "./select.js";
export { DEFAULT_QUARANTINE_AFTER, DEFAULT_QUARANTINE_CADENCE_MS, type FailStreak, type QuarantineOptions } from "./quarantine.js";
export { DEFAULT_FRESHNESS_TARGET_MS, freshness, type Freshness, type FreshnessOptions, type StaleReason } from "./freshness.js";
export { quarantinedRepositories, releaseRepository, type QuarantinedRepository } from "./release.js";
export type { Rollout, RolloutOptions, RolloutPlan } from "./rollout.js";
export { DEFAULT_DRIFT_AGE_MS, driftDue } from "./drift.js";
export { parseReposLock, readReposLock, type ReposLockRow } from "./repos-lock.js";
export {
  entriesFromReposLock,
  findLockRow,
  importReposLock,
  type LockImport,
  type LockImportOptions,
  type LockImportRow,
} from "./lock-import.js";
export { predictDurations, type Prediction, type PredictOptions } from "./predict.js";
export { planByTime, type PlanByTimeOptions, type PlanItem, type PlannedPartition, type TimePlan } from "./plan.js";
export { allowedProtocols, lsRemote, type LsRemoteOptions, type LsRemoteTarget } from "./ls-remote.js";
export type { RequestOptions, StateBackend, VersionedText, WriteCondition } from "./store/backend.js";
export { taskRecordProblem } from "./admit.js";
export { isRoleSessionUserId, parseTaskResultKey, taskResultKey } from "./store/layout.js";
export { DEFAULT_RUN_RETENTION_MS, pruneLocalRuns, type PruneRunsOptions } from "./store/prune.js";
export type { RanTasksLookup } from "./store/result-read.js";
export {
  openStateStore,
  type StateDecision,
  type StateStore,
  type StateStoreOptions,
  type UpdateStateOptions,
} from "./store/state-store.js";
export { prepareRun, recordRun, type PreparedRun, type PrepareRunOptions } from "./prepare.js";
export { cliVersion, csvSha256, hashingCsv, rowFingerprint, rowKey, UNKNOWN_CLI_VERSION, type StateRow } from "./rows.js";
export { memoryFailures, rowsToRetry, summarizeRun, type RunSummary } from "./summary.js";
export { closeRun, readClosedRun, type ClosedRun } from "./close.js";
export {
  foldPendingRuns,
  openResultRecorder,
  withPendingRun,
  type FoldPendingOptions,
  type RecorderLimits,
  type ResultRecorder,
} from "./runs.js";
export { checkManifestCsv, openPlan, openPlanPartition, partitionForArrayIndex, type PartitionsParameter } from "./plan-open.js";
