export { PipelineError, type PipelineErrorCode } from "./errors.js";
export type { SecretRedactor } from "./redact.js";
export { ExecaModCli, processGroupAlive, type ExecaModCliOptions, type ModCli, type ModRunOptions, type ModRunResult } from "./mod-cli.js";
export {
  chooseArtifactStore,
  configureCommands,
  configureMod,
  type ArtifactStoreKind,
  type ConfigureResult,
  type PublishSettings,
  type TenantSettings,
} from "./configure.js";
export {
  createLogStore,
  FileLogStore,
  HttpLogStore,
  logFileNames,
  logIndex,
  logKeys,
  logTimestamp,
  S3LogStore,
  type CreateLogStoreOptions,
  type HttpLogStoreOptions,
  type LogKeys,
  type LogLayout,
  type LogStore,
  type S3LogStoreOptions,
} from "./log-store.js";
export { DEFAULT_MAVEN_REPOSITORY, findOnPath, INSTALL_HINT, resolveModCommand, type ResolvedMod, type ResolveModOptions } from "./modw.js";
export { prepareGitAuth, type GitAuthOptions } from "./git-auth.js";
export { ingest, type IngestHooks, type IngestSettings } from "./ingest.js";
export {
  DEFAULT_BUILD_TIMEOUT_MS,
  DEFAULT_CONCURRENCY,
  runPipeline,
  type Concurrency,
  type PipelineEvent,
  type PipelineOptions,
  type PipelineResult,
  type SkippedRow,
} from "./pipeline.js";
export {
  formatSummary,
  totalsOf,
  writeJsonAtomic,
  type ArtifactLocation,
  type RepoResult,
  type RepoStatus,
  type RunReport,
  type RunTotals,
  type StepName,
  type StepRecord,
} from "./report.js";
