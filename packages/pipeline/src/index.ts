export { PipelineError, type PipelineErrorCode } from "./errors.js";
export type { SecretRedactor } from "./redact.js";
export { ExecaModCli, type ExecaModCliOptions, type ModCli, type ModRunOptions, type ModRunResult } from "./mod-cli.js";
export {
  ModCapabilities,
  parseCliVersion,
  parseHelpOptions,
  probeCapabilities,
  type CommandHelp,
  type ProbeOptions,
} from "./cli/capabilities.js";
export { readTrace, stageOutcome, type RepoTrace, type TraceRow, type TraceStage } from "./cli/trace.js";
export {
  chooseArtifactStore,
  configureMod,
  configurePlan,
  configureProbes,
  type ConfigCall,
  type ConfigurePlan,
  type ArtifactStoreKind,
  type ConfigureResult,
  type ModSettings,
  type PublishSettings,
  type TenantSettings,
} from "./configure.js";
export { logIndex, logKeys, logTimestamp, type LogKeys, type LogLayout } from "./log-layout.js";
export { createLogStore, FileLogStore, type CreateLogStoreOptions, type LogStore } from "./log-store.js";
export { HttpLogStore, type HttpLogStoreOptions } from "./http-log-store.js";
export { storeAuthHeaders, storeDispatcher, type HttpStoreAccess } from "./http-store.js";
export { S3LogStore, type S3LogStoreOptions } from "./s3-log-store.js";
export { INSTALL_HINT, resolveModCommand, type ResolvedMod, type ResolveModOptions } from "./modw.js";
export { prepareGitAuth, type GitAuthOptions } from "./git-auth.js";
export { ingest, type IngestRunner, type IngestSettings, type IngestSetup } from "./ingest.js";
export { listenAll, type IngestEvent, type IngestListener } from "./ingest-events.js";
export { runPipeline } from "./pipeline.js";
export { pruneWorkDirs, workDirName, workKey } from "./work-dirs.js";
export type {
  Concurrency,
  PipelineEvent,
  PipelineLimits,
  PipelineObservers,
  PipelineOptions,
  PipelineOutput,
  PipelineResult,
  PipelineRows,
  SkippedRow,
  StepTimeouts,
  UploadWhat,
} from "./options.js";
export type { FailedUpload } from "./summary.js";
export type { ArtifactLocation, RepoResult, RepoStatus, RunReport, RunTotals, StepName, StepRecord } from "./report.js";
export { startRunMetrics, type RunMetricsOptions } from "./metrics/run-metrics.js";
export type { RunMetrics } from "./metrics/observe.js";
export { classifyResult, type Classification } from "./triage/classify.js";
export type { TriageRule } from "./triage/rules.js";
export type { JdkRemedy } from "./triage/remedy.js";
