export * from "./job-contract.js";
export * from "./errors.js";
export * from "./clients.js";
export * from "./secrets.js";
export * from "./csv-source.js";
export * from "./logger.js";
export * from "./names.js";
export * from "./parameters.js";
export * from "./rows.js";
export { findJobQueue, findJobDefinition, findRunJobs, describeJobs } from "./aws-calls.js";
// jobForPartitions and submittedJob stay internal (shared by submit and retry only).
export {
  MAX_ARRAY_SIZE,
  planSubmission,
  plannedCalls,
  submit,
  type JobKind,
  type PlannedCall,
  type PlannedJob,
  type PlanSubmissionOptions,
  type SubmissionPlan,
  type SubmitMode,
  type SubmitOptions,
  type SubmitResult,
  type SubmittedJob,
} from "./submit.js";
export * from "./status.js";
export * from "./retry.js";
export * from "./local.js";
export * from "./plan-csv.js";
