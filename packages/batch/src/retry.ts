import { partitionRange, PROCESSOR_PARAMETERS, TAGS } from "@mass-ingest/contract";
import type { Logger } from "@mass-ingest/core";
import { batchCall, findJobQueue } from "./aws-calls.js";
import type { BatchApi } from "./clients.js";
import { BatchError } from "./errors.js";
import { jobNamePrefixOf, retryJobName } from "./names.js";
import { getRunStatus, type RunStatus, type StatusTarget } from "./status.js";
import { jobForPartitions, MAX_ARRAY_SIZE, submittedJob, type PlannedJob, type SubmittedJob } from "./plan-submission.js";

export interface RetryOptions {
  /** Queue for the retry (default: the queue of the run's first job). */
  jobQueue?: string;
  /** Job definition for the retry (default: the run's first job's definition). */
  jobDefinition?: string;
  maxArraySize?: number;
  /** Only show what would be submitted. */
  dryRun?: boolean;
  logger?: Logger;
}

export interface RetryResult {
  runId: string;
  /** Partition numbers submitted again (empty: nothing failed). */
  partitions: number[];
  /** The retry jobs (one array job, or a plain job for a single partition; split past 10,000). */
  planned: PlannedJob[];
  jobs: SubmittedJob[];
  /** Status of the run before the retry. */
  before: RunStatus;
}

/**
 * Submit only the failed partitions of a run again, as one array job whose `partitions` parameter lists
 * them (child i runs the i-th listed partition). The retry carries the run's run-id tag, kind "retry",
 * retry-of = the run id, and the name "<prefix>-<runId>-r<attempt>", so `getRunStatus` counts its
 * children as the partitions' latest attempts.
 */
export async function retryFailed(batch: BatchApi, target: StatusTarget, options: RetryOptions = {}): Promise<RetryResult> {
  const before = await getRunStatus(batch, target);
  const partitions = before.failed.map((p) => p.partition);
  const result: RetryResult = { runId: before.runId, partitions, planned: [], jobs: [], before };
  if (partitions.length === 0) {
    options.logger?.info({ runId: before.runId }, `run ${before.runId}: no failed partitions, nothing to retry`);
    return result;
  }
  const source = before.jobs.find((j) => j.kind !== "retry") ?? before.jobs[0];
  if (!source) throw new BatchError("RUN_NOT_FOUND", `Run ${before.runId} has no jobs.`);
  const p = source.parameters;
  const csv = p[PROCESSOR_PARAMETERS.csv];
  const partitionSize = Number(p[PROCESSOR_PARAMETERS.partitionSize]);
  const rowCount = Number(p[PROCESSOR_PARAMETERS.rowCount] ?? 0);
  if (!csv || !Number.isSafeInteger(partitionSize) || partitionSize < 1) {
    throw new BatchError(
      "INVALID_SETTING",
      `Job ${source.jobName} has no usable csv / partitionSize parameters; cannot rebuild the failed partitions.`,
      {
        hint: "Retry by submitting the run again with the same csv and partition size.",
      },
    );
  }
  const jobQueue = options.jobQueue ?? source.jobQueue;
  const jobDefinition = options.jobDefinition ?? source.jobDefinition;
  if (!jobQueue || !jobDefinition) {
    throw new BatchError("MISSING_SETTING", "The retry needs a job queue and a job definition (--job-queue / --job-definition).", {
      hint: "Pass them explicitly.",
    });
  }
  const prefix = jobNamePrefixOf(source.jobName, before.runId);
  const attempt =
    1 +
    before.jobs
      .filter((j) => j.kind === "retry")
      .map((j) => Number(/-r(\d+)(?:-a\d+)?$/.exec(j.jobName)?.[1] ?? 0))
      .reduce((a, b) => Math.max(a, b), 0);
  const max = Math.min(options.maxArraySize ?? MAX_ARRAY_SIZE, MAX_ARRAY_SIZE);
  const chunks = Math.ceil(partitions.length / max);
  for (let k = 0; k < chunks; k++) {
    result.planned.push(
      jobForPartitions({
        name: retryJobName(prefix, before.runId, attempt, k + 1, chunks),
        kind: "retry",
        partitions: partitions.slice(k * max, (k + 1) * max),
        ranges: (n) => partitionRange(n, partitionSize, rowCount),
        csv,
        partitionSize,
        rowCount,
        runId: before.runId,
        jobQueue,
        jobDefinition,
        extraTags: { [TAGS.retryOf]: before.runId },
      }),
    );
  }
  if (options.dryRun) return result;
  if (options.jobQueue) await findJobQueue(batch, options.jobQueue);
  for (const job of result.planned) {
    const out = await batchCall("SubmitJob", () => batch.submitJob(job.input));
    result.jobs.push(submittedJob(job, out.jobId!, false));
  }
  options.logger?.info(
    { runId: before.runId, partitions, jobs: result.jobs.map((j) => j.jobId) },
    `retrying ${partitions.length} failed partitions of run ${before.runId}`,
  );
  return result;
}
