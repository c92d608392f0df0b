import type { DescribeJobDefinitionsCommandInput, JobDefinition, JobDetail, JobQueueDetail } from "@aws-sdk/client-batch";
import type { BatchApi } from "./clients.js";
import { TAGS } from "@mass-ingest/contract";
import { MassIngestError } from "@mass-ingest/core";
import { credentialsErrorFrom } from "@mass-ingest/core/aws";
import { BatchError } from "./errors.js";
import { runJobPrefix } from "./names.js";

/** Run a Batch call, turning credentials / permission failures into MassIngestError (AWS_CREDENTIALS, AWS_ACCESS_DENIED). */
export async function batchCall<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof MassIngestError) throw error;
    const mapped = credentialsErrorFrom(error, `batch:${operation}`);
    if (mapped) throw mapped;
    if (error instanceof Error && /Region is missing/i.test(error.message)) {
      throw new BatchError("MISSING_SETTING", "No AWS region: set AWS_REGION (or a profile with a region).", {
        hint: "export AWS_REGION=us-east-1 (the region of the Batch queue).",
        cause: error,
      });
    }
    throw error;
  }
}

/** The queue, or BatchError "JOB_QUEUE_NOT_FOUND" naming the setting. */
export async function findJobQueue(batch: BatchApi, jobQueue: string): Promise<JobQueueDetail> {
  const out = await batchCall("DescribeJobQueues", () => batch.describeJobQueues({ jobQueues: [jobQueue] }));
  const queue = out.jobQueues?.find((q) => q.jobQueueName === jobQueue || q.jobQueueArn === jobQueue);
  if (!queue) {
    throw new BatchError(
      "JOB_QUEUE_NOT_FOUND",
      `Job queue "${jobQueue}" (--job-queue / JOB_QUEUE) does not exist in this account and region.`,
      {
        hint: "Pass the name or ARN of an existing queue (aws batch describe-job-queues), and check AWS_REGION.",
      },
    );
  }
  if (queue.state === "DISABLED") {
    throw new BatchError("JOB_QUEUE_DISABLED", `Job queue "${jobQueue}" is DISABLED.`, {
      hint: "Enable it (aws batch update-job-queue --state ENABLED) or pick another queue.",
    });
  }
  return queue;
}

/** The DescribeJobDefinitions input that finds a job definition: "name:rev" or ARN as is, a bare name's ACTIVE revisions. */
export function jobDefinitionQuery(jobDefinition: string): DescribeJobDefinitionsCommandInput {
  return jobDefinition.includes(":") ? { jobDefinitions: [jobDefinition] } : { jobDefinitionName: jobDefinition, status: "ACTIVE" };
}

/** The job definition ("name" = latest ACTIVE revision, "name:rev" or ARN), or BatchError "JOB_DEFINITION_NOT_FOUND". */
export async function findJobDefinition(batch: BatchApi, jobDefinition: string): Promise<JobDefinition> {
  const query = jobDefinitionQuery(jobDefinition);
  const found: JobDefinition[] = [];
  let nextToken: string | undefined;
  do {
    const out = await batchCall("DescribeJobDefinitions", () =>
      batch.describeJobDefinitions({ ...query, ...(nextToken ? { nextToken } : {}) }),
    );
    found.push(...(out.jobDefinitions ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  const active = found.filter((d) => d.status !== "INACTIVE");
  const latest = active.sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0))[0];
  if (!latest) {
    throw new BatchError(
      "JOB_DEFINITION_NOT_FOUND",
      `Job definition "${jobDefinition}" (--job-definition / JOB_DEFINITION) has no ACTIVE revision.`,
      {
        hint: "Pass the name, name:revision or ARN of a registered job definition (aws batch describe-job-definitions --status ACTIVE).",
      },
    );
  }
  return latest;
}

/** Describe up to any number of jobs (100 per call). */
export async function describeJobs(batch: BatchApi, jobIds: readonly string[]): Promise<JobDetail[]> {
  const out: JobDetail[] = [];
  for (let i = 0; i < jobIds.length; i += 100) {
    const res = await batchCall("DescribeJobs", () => batch.describeJobs({ jobs: jobIds.slice(i, i + 100) }));
    out.push(...(res.jobs ?? []));
  }
  return out;
}

/**
 * Every top-level job of a run in a queue: ListJobs by name prefix "<jobName>-<runId>" (all statuses), then
 * DescribeJobs, keeping jobs whose run-id tag matches exactly. Array children are not listed.
 */
export async function findRunJobs(batch: BatchApi, options: { jobQueue: string; jobName: string; runId: string }): Promise<JobDetail[]> {
  const prefix = runJobPrefix(options.jobName, options.runId);
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const res = await batchCall("ListJobs", () =>
      batch.listJobs({
        jobQueue: options.jobQueue,
        filters: [{ name: "JOB_NAME", values: [`${prefix}*`] }],
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const j of res.jobSummaryList ?? []) {
      if (j.jobId && !j.jobId.includes(":") && j.jobName?.startsWith(prefix)) ids.push(j.jobId);
    }
    nextToken = res.nextToken;
  } while (nextToken);
  if (ids.length === 0) return [];
  const details = await describeJobs(batch, [...new Set(ids)]);
  return details.filter((d) => d.tags?.[TAGS.runId] === options.runId);
}
