/**
 * @mass-ingest/contract/env: the settings tables and the defaults `--help` states, with no dependency and no
 * I/O, so an app's `--help` imports them without loading the libraries that act on them.
 */
export { BUILD_MEMORY_MIB } from "./build-concurrency.js";
export { DEFAULTS } from "./defaults.js";
export { DOCTOR_CHECK_IDS, DOCTOR_THRESHOLDS, WORKER_CHECK_IDS, type DoctorCheckId } from "./doctor-checks.js";
export {
  CHUNKER_ENV,
  CHUNKER_SECRET_ENV_NAMES,
  MANAGED_PROCESSOR_ENV_NAMES,
  PROCESSOR_ENV,
  RESOLVABLE_ENV_NAMES,
  SECRET_ENV_NAMES,
  type ChunkerEnvKey,
  type ProcessorEnvKey,
} from "./env-table.js";
export { describeEnv, envDefaultText, envHelp, WHOLE_NUMBER_KINDS, type EnvKind, type EnvSpec, type EnvVar } from "./env-var.js";
