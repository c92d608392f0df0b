import { countOf } from "@mass-ingest/contract";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { MassIngestError, type Logger } from "@mass-ingest/core";
import pLimit from "p-limit";
import { batchCall, findJobDefinition, findJobQueue, findRunJobs } from "./aws-calls.js";
import type { BatchApi } from "./clients.js";
import { BatchError } from "./errors.js";
import { submittedJob, type PlannedJob, type SubmissionPlan, type SubmittedJob } from "./plan-submission.js";
import { checkJobDefinitionSecrets, type JobDefinitionSecret } from "./secrets.js";

export interface SubmitOptions {
  batch: BatchApi;
  /** Secrets Manager client per region, for the secret check; omit with checkSecrets: false. */
  secretsClientFor?: (region: string) => SecretsManagerClient;
  /** Check every secret the job definition references (default true when secretsClientFor is given). */
  checkSecrets?: boolean;
  /** Parallel SubmitJob calls in per-partition mode (default 8); the SDK's adaptive retry handles throttling. */
  concurrency?: number;
  logger?: Logger;
  /** Called after each job is submitted (or found). */
  onJob?: (job: SubmittedJob, done: number, total: number) => void;
}

export interface SubmitResult {
  runId: string;
  /** Every job of the run was already there: nothing submitted. */
  alreadySubmitted: boolean;
  jobs: SubmittedJob[];
  submittedCount: number;
  existingCount: number;
  /** Secrets the job definition references (checked with DescribeSecret). */
  secrets: JobDefinitionSecret[];
}

/**
 * Submit a planned run: check the queue, the job definition and its secrets, find jobs of the same run id
 * already there (idempotent: those are not submitted again), then SubmitJob for the rest.
 * Throws BatchError (exit 2 codes) before submitting anything when the configuration is wrong.
 */
export async function submit(plan: SubmissionPlan, options: SubmitOptions): Promise<SubmitResult> {
  const { batch, logger } = options;
  await findJobQueue(batch, plan.jobQueue);
  const definition = await findJobDefinition(batch, plan.jobDefinition);
  let secrets: JobDefinitionSecret[] = [];
  if (options.secretsClientFor && options.checkSecrets !== false) {
    secrets = await checkJobDefinitionSecrets(definition, options.secretsClientFor);
    logger?.info(
      { secrets: secrets.map((s) => s.name) },
      `all ${secrets.length} secrets of job definition ${definition.jobDefinitionName} exist`,
    );
  }
  const existing = await findRunJobs(batch, { jobQueue: plan.jobQueue, jobName: plan.jobName, runId: plan.runId });
  const existingByName = new Map(existing.map((j) => [j.jobName, j]));
  const total = plan.jobs.length;
  const results: SubmittedJob[] = new Array(total);
  let done = 0;
  const report = (i: number, job: SubmittedJob) => {
    results[i] = job;
    done++;
    options.onJob?.(job, done, total);
  };
  const missing: number[] = [];
  plan.jobs.forEach((job, i) => {
    const found = existingByName.get(job.name);
    if (found?.jobId) {
      report(i, submittedJob(job, found.jobId, true));
    } else missing.push(i);
  });
  if (missing.length === 0) {
    logger?.info({ runId: plan.runId, jobs: total }, `run ${plan.runId} was already submitted (${total} jobs found): submitting nothing`);
    return { runId: plan.runId, alreadySubmitted: true, jobs: results, submittedCount: 0, existingCount: total, secrets };
  }
  if (missing.length < total) {
    logger?.info(
      { runId: plan.runId, existing: total - missing.length, missing: missing.length },
      `run ${plan.runId} is partly there: submitting only the ${missing.length} missing jobs`,
    );
  }
  const limit = pLimit(Math.max(1, options.concurrency ?? 8));
  await Promise.all(
    missing.map((i) =>
      limit(async () => {
        const job = plan.jobs[i]!;
        const out = await batchCall("SubmitJob", () => batch.submitJob(job.input)).catch((error: unknown) => {
          throw submitError(error, plan, job);
        });
        report(i, submittedJob(job, out.jobId!, false));
      }),
    ),
  );
  logger?.info(
    { runId: plan.runId, submitted: missing.length },
    `submitted ${countOf(missing.length, "job", "jobs")} for ${countOf(plan.partitions.length, "partition", "partitions")}`,
  );
  return {
    runId: plan.runId,
    alreadySubmitted: false,
    jobs: results,
    submittedCount: missing.length,
    existingCount: total - missing.length,
    secrets,
  };
}

function submitError(error: unknown, plan: SubmissionPlan, job: PlannedJob): unknown {
  if (error instanceof MassIngestError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/queue/i.test(message) && /not exist|not found/i.test(message)) {
    return new BatchError("JOB_QUEUE_NOT_FOUND", `Job queue "${plan.jobQueue}" (--job-queue / JOB_QUEUE) does not exist.`, {
      hint: "Pass the name or ARN of an existing queue.",
      cause: error,
    });
  }
  return new BatchError("SUBMIT_FAILED", `SubmitJob for ${job.name} failed: ${message}`, {
    hint: "Re-run the same command with the same --run-id: jobs already submitted are found and not submitted twice.",
    cause: error,
  });
}
