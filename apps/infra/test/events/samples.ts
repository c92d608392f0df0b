/**
 * Sample "Batch Job State Change" events, shaped like the example in the AWS Batch User Guide
 * (https://docs.aws.amazon.com/batch/latest/userguide/batch_job_events.html): the detail is the job's JobDetail.
 * An array job's parent carries `arrayProperties.size` and `statusSummary`; each child `arrayProperties.index`
 * and a job id of `<parent id>:<index>`.
 */
import type { Json } from "./eventbridge.js";

export interface SampleJob {
  readonly region: string;
  readonly account: string;
  readonly queueArn: string;
  /** Job definition ARN with revision. */
  readonly jobDefinition: string;
  readonly status: string;
  readonly jobName?: string;
  readonly parameters?: Record<string, string>;
  readonly statusReason?: string;
}

const PARENT_ID = "4c7599ae-0a82-49aa-ba5a-4727fcce14a8";

function event(job: SampleJob, jobId: string, arrayProperties: Json | undefined): Record<string, Json> {
  const jobArn = `arn:aws:batch:${job.region}:${job.account}:job/${jobId}`;
  return {
    version: "0",
    id: "c8f9c4b5-76e5-d76a-f980-7011e206042b",
    "detail-type": "Batch Job State Change",
    source: "aws.batch",
    account: job.account,
    time: "2026-11-30T03:36:40Z",
    region: job.region,
    resources: [jobArn],
    detail: {
      jobArn,
      jobName: job.jobName ?? "mass-ingest-processor",
      jobId,
      jobQueue: job.queueArn,
      status: job.status,
      ...(job.statusReason === undefined ? {} : { statusReason: job.statusReason }),
      attempts: [],
      createdAt: 1_764_471_400_058,
      retryStrategy: { attempts: 3, evaluateOnExit: [] },
      dependsOn: [],
      jobDefinition: job.jobDefinition,
      parameters: job.parameters ?? {},
      ...(arrayProperties === undefined ? {} : { arrayProperties }),
      tags: { "mass-ingest:run-id": job.parameters?.runId ?? "" },
      platformCapabilities: ["EC2"],
      container: { image: "mass-ingest:1", command: [], environment: [], resourceRequirements: [] },
    },
  };
}

/** The parent of an array job of `size` children with `summary` counts. */
export const parentEvent = (job: SampleJob, size: number, summary: Record<string, number>) =>
  event(job, PARENT_ID, {
    statusSummary: { STARTING: 0, FAILED: 0, RUNNING: 0, SUCCEEDED: 0, RUNNABLE: 0, SUBMITTED: 0, PENDING: 0, ...summary },
    size,
  });

/** Child `index` of that array job. */
export const childEvent = (job: SampleJob, index: number) => event(job, `${PARENT_ID}:${index}`, { index });

/** A job that is no array job (the chunk and report jobs). */
export const singleEvent = (job: SampleJob) => event(job, "9e0f1a2b-0000-4000-8000-000000000001", undefined);
