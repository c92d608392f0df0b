/**
 * @mass-ingest/batch: AWS Batch only. Lay a partition plan out as array jobs, submit it idempotently (checking
 * queue, job definition and its secrets first), watch a run and retry its failed partitions.
 */
export { BatchError } from "./errors.js";
export { childTaskIds, taskIdOfArn } from "./child-tasks.js";
export { createBatchApi, type BatchApi } from "./clients.js";
export { defaultRunId, validateRunId } from "./names.js";
export { checkJobDefinitionSecrets, secretsOfJobDefinition, type JobDefinitionSecret } from "./secrets.js";
export {
  plannedCalls,
  planSubmission,
  type JobKind,
  type ManifestPlan,
  type PlannedCall,
  type PlannedJob,
  type PlanSubmissionOptions,
  type RowRangePlan,
  type SubmissionInput,
  type SubmissionPlan,
  type SubmitMode,
  type SubmittedJob,
} from "./plan-submission.js";
export { submit, type SubmitOptions, type SubmitResult } from "./submit.js";
export {
  getRunStatus,
  looksLikeJobId,
  waitForRun,
  type PartitionState,
  type RunJob,
  type RunStatus,
  type StatusTarget,
  type WaitOptions,
} from "./status.js";
export { retryFailed, type RetryOptions, type RetryResult } from "./retry.js";
export { runTaskIds } from "./run-tasks.js";
