/**
 * EventBridge event patterns and input transformers of the run report and the alerts, as pure values (the tests
 * evaluate them against sample "Batch Job State Change" events). A run is one array job of the processor: its
 * parent's event carries `arrayProperties.size` (and `statusSummary`), each child's carries `arrayProperties.index`.
 * https://docs.aws.amazon.com/batch/latest/userguide/batch_job_events.html
 */
import { PROCESSOR_PARAMETERS } from "@mass-ingest/contract";

export interface InputTransformer {
  readonly inputPaths: Record<string, string>;
  readonly inputTemplate: string;
}

const batchJobStateChange = { source: ["aws.batch"], "detail-type": ["Batch Job State Change"] };

/** `jobDefinition` in an event is the full ARN with `:revision`: match any revision of the definition. */
const anyRevision = (jobDefinitionArnPrefix: string) => ({ prefix: `${jobDefinitionArnPrefix}:` });

/** The parent of a processor array job (a run) in this queue reached one of `statuses`; never its children. */
export function runPattern(props: {
  queueArn: string;
  processorJobDefinitionArnPrefix: string;
  statuses: readonly string[];
}): Record<string, unknown> {
  return {
    ...batchJobStateChange,
    detail: {
      jobQueue: [props.queueArn],
      status: [...props.statuses],
      jobDefinition: [anyRevision(props.processorJobDefinitionArnPrefix)],
      arrayProperties: { size: [{ exists: true }], index: [{ exists: false }] },
    },
  };
}

/** The chunk or the report job of this queue FAILED (no run was submitted, or no report was written). */
export function jobFailedPattern(props: { queueArn: string; jobDefinitionArnPrefixes: readonly string[] }): Record<string, unknown> {
  return {
    ...batchJobStateChange,
    detail: { jobQueue: [props.queueArn], status: ["FAILED"], jobDefinition: props.jobDefinitionArnPrefixes.map(anyRevision) },
  };
}

/** The run id is the array job's `runId` parameter (the chunker sets it; the job's `mass-ingest:run-id` tag holds the same). */
const RUN_ID_PATH = `$.detail.parameters.${PROCESSOR_PARAMETERS.runId}`;

/** The report job's SubmitJob input: the run id as the report job's `runId` parameter (`Ref::runId` in its command). */
export function reportJobInput(): InputTransformer {
  return {
    inputPaths: { runId: RUN_ID_PATH },
    inputTemplate: JSON.stringify({ Parameters: { [PROCESSOR_PARAMETERS.runId]: "<runId>" } }),
  };
}

/** Where a run's HTML report lands, as an S3 URL and an S3 console link; `runId` is a placeholder or a value. */
export function reportLinks(props: { region: string; bucket: string; key: (sub: string) => string; runId: string }): {
  s3: string;
  console: string;
} {
  const key = props.key(`runs/${props.runId}/report.html`);
  return {
    s3: `s3://${props.bucket}/${key}`,
    console: `https://${props.region}.console.aws.amazon.com/s3/object/${props.bucket}?region=${props.region}&prefix=${key}`,
  };
}

/**
 * The one message of a failed run: counts from the array parent's `statusSummary` and the report's link (the
 * report job writes it a few minutes later).
 */
export function runFailedMessage(props: {
  deployment: string;
  region: string;
  report?: { s3: string; console: string };
}): InputTransformer {
  const lines = [
    `mass-ingest ${props.deployment}: run <runId> <status>`,
    `partitions: <size>, succeeded: <succeeded>, failed: <failed>`,
    `reason: <reason>`,
    `array job: https://${props.region}.console.aws.amazon.com/batch/home?region=${props.region}#jobs/array-job/<jobId>`,
    ...(props.report === undefined ? [] : [`report: ${props.report.console}`, `        ${props.report.s3}`]),
  ];
  return {
    inputPaths: {
      runId: RUN_ID_PATH,
      status: "$.detail.status",
      jobId: "$.detail.jobId",
      size: "$.detail.arrayProperties.size",
      succeeded: "$.detail.arrayProperties.statusSummary.SUCCEEDED",
      failed: "$.detail.arrayProperties.statusSummary.FAILED",
      reason: "$.detail.statusReason",
    },
    inputTemplate: JSON.stringify(lines.join("\n")),
  };
}

/** The message of a failed chunk or report job. */
export function jobFailedMessage(props: { deployment: string; region: string }): InputTransformer {
  return {
    inputPaths: { jobName: "$.detail.jobName", jobId: "$.detail.jobId", reason: "$.detail.statusReason" },
    inputTemplate: JSON.stringify(
      [
        `mass-ingest ${props.deployment}: job <jobName> FAILED`,
        `reason: <reason>`,
        `job: https://${props.region}.console.aws.amazon.com/batch/home?region=${props.region}#jobs/detail/<jobId>`,
      ].join("\n"),
    ),
  };
}
