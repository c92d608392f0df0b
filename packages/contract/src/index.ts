/**
 * @mass-ingest/contract: the job contract in one place. The infra app's job definitions, the chunker that fills
 * them and the processor that runs them all import these names, so they cannot drift apart.
 */
export { BUILD_MEMORY_MIB, deriveBuildConcurrency, maxHeapMiB } from "./build-concurrency.js";
export { DEFAULTS } from "./defaults.js";
export { EXIT, exitCodeForSignal, type ExitCode } from "./exit-codes.js";
export {
  ARRAY_INDEX_ENV,
  CHUNK_COMMAND,
  CHUNKER_BIN,
  JOB_ID_ENV,
  PROCESSOR_BIN,
  PROCESSOR_COMMAND,
  PROCESSOR_PARAMETER_DEFAULTS,
  PROCESSOR_PARAMETERS,
  REPORT_COMMAND,
  substituteCommand,
  TAGS,
  type ProcessorParameterName,
  type ProcessorParameters,
} from "./parameters.js";
export { DOCTOR_CHECK_IDS, DOCTOR_THRESHOLDS, WORKER_CHECK_IDS, type DoctorCheckId } from "./doctor-checks.js";
export { describeEnv, envDefaultText, envHelp, WHOLE_NUMBER_KINDS, type EnvKind, type EnvSpec } from "./env-var.js";
export {
  CHUNKER_ENV,
  CHUNKER_SECRET_ENV_NAMES,
  MANAGED_PROCESSOR_ENV_NAMES,
  PROCESSOR_ENV,
  RESOLVABLE_ENV_NAMES,
  SECRET_ENV_NAMES,
  type ChunkerEnvKey,
  type EnvVar,
  type ProcessorEnvKey,
} from "./env-table.js";
export { FAILURE_CAUSES, isFailureCause, RETRYABLE_CAUSES, type FailureCause } from "./causes.js";
export { RUN_METRICS } from "./metrics.js";
export {
  BUILD_OUTCOMES,
  isBuildOutcome,
  MOD_STEPS,
  REPO_OUTCOMES,
  STEP_NAMES,
  type BuildOutcome,
  type ModStep,
  type RepoOutcome,
  type RowRange,
  type SkippedRow,
  type StepName,
} from "./outcome.js";
export { countOf } from "./words.js";
export {
  arrayIndexFromEnv,
  buildProcessorParameters,
  formatPartitions,
  JOB_PARAMETER_ERROR_CODES,
  JobParameterError,
  parsePartitions,
  partitionOfArrayIndex,
  partitionRange,
  resolveProcessorRange,
  type ProcessorParameterValues,
  type ProcessorRangeParameters,
} from "./job.js";
