/**
 * @mass-ingest/infra-app: the CDKTF app that deploys mass-ingest to AWS Batch.
 *
 * ```ts
 * const config = loadConfig();                 // config.json / MASS_INGEST_CONFIG[_JSON], validated
 * const { app } = buildApp(config);            // one MassIngestStack per environment
 * app.synth();
 * ```
 */
export { addStacks, buildApp } from "./app.js";
export { CONFIG_ENV, deepMerge, loadConfig, parseConfigFile, parseDeploymentConfig } from "./config/load.js";
export type { EnvironmentConfig, LoadedConfig } from "./config/load.js";
export { COMPUTE_TYPES, ConfigFileSchema, DeploymentConfigSchema, LOG_RETENTION_DAYS } from "./config/schema.js";
export { fargateSizeProblem } from "./config/rules.js";
export type { ComputeType, DeploymentConfig, DeploymentConfigInput } from "./config/schema.js";
export { InfraError } from "./errors.js";
export type { InfraErrorCode } from "./errors.js";
export { resourceNames } from "./names.js";
export type { ResourceNames } from "./names.js";
export { DEPLOYMENT_TAG, MassIngestStack } from "./stack.js";
export { synthesizeJobDefinitions } from "./job-definitions-view.js";
export type { JobDefinitionReferences, SynthesizedJobDefinition, SynthesizedJobDefinitions } from "./job-definitions-view.js";
export {
  DATA_DIR,
  MEMORY_MIB_PER_BUILD,
  chunkSecrets,
  defaultBuildConcurrency,
  processorEnvironment,
  processorParameters,
  processorSecrets,
  reportSecrets,
} from "./constructs/job-definitions.js";
export { retryConditions } from "./constructs/container-properties.js";
export { SUBMIT_JOB_TARGET } from "./constructs/schedule.js";
export {
  chunkJobPolicy,
  executionPolicy,
  instancePolicy,
  processorJobPolicy,
  reportJobPolicy,
  schedulerPolicy,
  submitReportPolicy,
} from "./policies.js";
export { csvReadStatements, lstWriteStatements, stateStoreStatements } from "./s3-access.js";
export type { StateRole } from "./s3-access.js";
export { defaultStateBucketName, stateLocation } from "./state-location.js";
export type { StateLocation } from "./state-location.js";
export { jobFailedMessage, jobFailedPattern, reportJobInput, reportLinks, runFailedMessage, runPattern } from "./events.js";
export type { InputTransformer } from "./events.js";
export { UNSCOPABLE_ACTIONS, partitionOf, policy, secretResourceArn } from "./iam-policy.js";
export type { PolicyDocument, PolicyStatement } from "./iam-policy.js";
export { Alarms } from "./constructs/alarms.js";
export { Alerts } from "./constructs/alerts.js";
export { Dashboard, dashboardWidgets } from "./constructs/dashboard.js";
export { RUN_FINISHED_STATUSES, RunReportJob } from "./constructs/run-report.js";
export { StateBucket, tlsOnlyPolicy } from "./constructs/state-bucket.js";
export { Compute } from "./constructs/compute.js";
export { BatchServiceLinkedRole, InstanceRole, JobRoles, Role } from "./constructs/iam.js";
export { ImageRepository } from "./constructs/image-repository.js";
export { JobDefinitions } from "./constructs/job-definitions.js";
export { Logs } from "./constructs/logs.js";
export { Network } from "./constructs/network.js";
export { Queue } from "./constructs/queue.js";
export { Schedule } from "./constructs/schedule.js";
