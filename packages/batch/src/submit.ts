import type { SubmitJobCommandInput } from "@aws-sdk/client-batch";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Plan, RangePartition } from "@mass-ingest/partition";
import pLimit from "p-limit";
import type { Logger } from "pino";
import { batchCall, findJobDefinition, findJobQueue, findRunJobs, jobDefinitionQuery } from "./aws-calls.js";
import type { BatchApi } from "./clients.js";
import { BatchError } from "./errors.js";
import { TAGS } from "./job-contract.js";
import { arrayJobName, DEFAULT_JOB_NAME, partitionJobName, runJobPrefix, validateJobName, validateRunId } from "./names.js";
import { buildProcessorParameters } from "./parameters.js";
import { checkJobDefinitionSecrets, type JobDefinitionSecret } from "./secrets.js";

/** AWS Batch's largest array size. */
export const MAX_ARRAY_SIZE = 10_000;

/** How jobs are laid out: array jobs (default) or one job per partition (the old script's way). */
export type SubmitMode = "array" | "per-partition";

/** Value of the kind tag. */
export type JobKind = "array" | "single" | "partition" | "retry";

/** One SubmitJob call of a plan. */
export interface PlannedJob {
  name: string;
  kind: JobKind;
  /** Partition numbers (1-based) in array-index order. */
  partitions: number[];
  /** Array size; absent for a plain job. */
  arraySize?: number;
  /** The exact SubmitJob input. */
  input: SubmitJobCommandInput;
}

export interface SubmissionPlan {
  runId: string;
  jobName: string;
  jobQueue: string;
  jobDefinition: string;
  mode: SubmitMode;
  csv: string;
  rowCount: number;
  partitionSize: number;
  partitions: RangePartition[];
  jobs: PlannedJob[];
}

export interface PlanSubmissionOptions {
  /** From `planBySize` (@mass-ingest/partition). */
  plan: Plan;
  /** Where the processors read the csv (path in the image, s3:// or https://). */
  csv: string;
  runId: string;
  /** Job name prefix; default "mass-ingest". */
  jobName?: string;
  jobQueue: string;
  jobDefinition: string;
  mode?: SubmitMode;
  /** Largest array (default and maximum 10,000). */
  maxArraySize?: number;
}

/** A job built for a list of partitions: an array job (2+), or a plain job with start/end (1). */
export function jobForPartitions(options: {
  name: string;
  kind: JobKind;
  partitions: readonly number[];
  /** true: "all" (child i runs partition i + 1) for the parameter; only valid when partitions are 1..n. */
  all?: boolean;
  ranges: (partition: number) => { start: number; end: number };
  csv: string;
  partitionSize: number;
  rowCount: number;
  runId: string;
  jobQueue: string;
  jobDefinition: string;
  extraTags?: Record<string, string>;
}): PlannedJob {
  const tags = { [TAGS.runId]: options.runId, [TAGS.kind]: options.kind, ...options.extraTags };
  const common = { csv: options.csv, partitionSize: options.partitionSize, rowCount: options.rowCount, runId: options.runId };
  if (options.partitions.length === 1) {
    const partition = options.partitions[0]!;
    const range = options.ranges(partition);
    return {
      name: options.name,
      kind: options.kind,
      partitions: [partition],
      input: {
        jobName: options.name,
        jobQueue: options.jobQueue,
        jobDefinition: options.jobDefinition,
        parameters: buildProcessorParameters({ ...common, ...range, partitions: [partition] }),
        tags,
      },
    };
  }
  return {
    name: options.name,
    kind: options.kind,
    partitions: [...options.partitions],
    arraySize: options.partitions.length,
    input: {
      jobName: options.name,
      jobQueue: options.jobQueue,
      jobDefinition: options.jobDefinition,
      arrayProperties: { size: options.partitions.length },
      parameters: buildProcessorParameters({ ...common, partitions: options.all ? "all" : options.partitions }),
      tags,
    },
  };
}

/**
 * Lay a partition plan out as SubmitJob calls (pure, no I/O): array mode makes one array job per up to
 * 10,000 partitions (a single partition is a plain job); per-partition mode one job per partition with
 * start/end. Every job carries the run id in its name and tags.
 */
export function planSubmission(options: PlanSubmissionOptions): SubmissionPlan {
  const runId = validateRunId(options.runId);
  const jobName = validateJobName(options.jobName ?? DEFAULT_JOB_NAME);
  const mode = options.mode ?? "array";
  const max = Math.min(options.maxArraySize ?? MAX_ARRAY_SIZE, MAX_ARRAY_SIZE);
  if (!Number.isSafeInteger(max) || max < 2) {
    throw new BatchError("INVALID_SETTING", `maxArraySize ${options.maxArraySize} must be an integer from 2 to 10000.`, {
      hint: "Leave it unset for the AWS Batch maximum (10,000).",
    });
  }
  const { plan } = options;
  const partitionSize = plan.partitionSize ?? (plan.partitions[0] ? plan.partitions[0].end - plan.partitions[0].start + 1 : 1);
  const byNumber = new Map(plan.partitions.map((p) => [p.partition, p]));
  const ranges = (n: number) => {
    const p = byNumber.get(n);
    if (!p) throw new BatchError("INVALID_PARTITIONS", `Partition ${n} is not in the plan.`);
    return { start: p.start, end: p.end };
  };
  const base = {
    csv: options.csv,
    partitionSize,
    rowCount: plan.rowCount,
    runId,
    jobQueue: options.jobQueue,
    jobDefinition: options.jobDefinition,
    ranges,
  };
  const numbers = plan.partitions.map((p) => p.partition);
  const jobs: PlannedJob[] = [];
  if (mode === "per-partition") {
    for (const n of numbers) jobs.push(jobForPartitions({ ...base, name: partitionJobName(jobName, runId, n), kind: "partition", partitions: [n] }));
  } else {
    const chunks = Math.ceil(numbers.length / max);
    for (let k = 0; k < chunks; k++) {
      const slice = numbers.slice(k * max, (k + 1) * max);
      const isOneToN = slice.every((n, i) => n === i + 1);
      jobs.push(
        jobForPartitions({
          ...base,
          name: arrayJobName(jobName, runId, k + 1, chunks),
          kind: slice.length === 1 ? "single" : "array",
          partitions: slice,
          all: isOneToN,
        }),
      );
    }
  }
  return {
    runId,
    jobName,
    jobQueue: options.jobQueue,
    jobDefinition: options.jobDefinition,
    mode,
    csv: options.csv,
    rowCount: plan.rowCount,
    partitionSize,
    partitions: plan.partitions,
    jobs,
  };
}

/** One API call a submission makes (for --dry-run). */
export interface PlannedCall {
  operation: string;
  input: unknown;
  /** Why / when it is made. */
  note?: string;
}

/** The API calls `submit` makes for this plan, in order (what --dry-run prints). */
export function plannedCalls(plan: SubmissionPlan, options: { checkSecrets?: boolean } = {}): PlannedCall[] {
  const calls: PlannedCall[] = [
    { operation: "batch:DescribeJobQueues", input: { jobQueues: [plan.jobQueue] }, note: "the queue exists and is enabled" },
    {
      operation: "batch:DescribeJobDefinitions",
      input: jobDefinitionQuery(plan.jobDefinition),
      note: "the job definition exists (latest ACTIVE revision)",
    },
  ];
  if (options.checkSecrets !== false) {
    calls.push({ operation: "secretsmanager:DescribeSecret", input: { SecretId: "<each secret the job definition references>" }, note: "every referenced secret exists" });
  }
  calls.push({
    operation: "batch:ListJobs",
    input: { jobQueue: plan.jobQueue, filters: [{ name: "JOB_NAME", values: [`${runJobPrefix(plan.jobName, plan.runId)}*`] }] },
    note: "idempotency: jobs of this run already there are not submitted again (+ DescribeJobs for their tags)",
  });
  for (const job of plan.jobs) calls.push({ operation: "batch:SubmitJob", input: job.input });
  return calls;
}

/** A job of the run after `submit`. */
export interface SubmittedJob {
  jobId: string;
  jobName: string;
  kind: JobKind;
  partitions: number[];
  arraySize?: number;
  /** true: it was already there (same run id), nothing was submitted for it. */
  existing: boolean;
}

/** A planned job as a job of the run, once AWS Batch gave it an id (submitted now, or `existing`). */
export function submittedJob(job: PlannedJob, jobId: string, existing: boolean): SubmittedJob {
  return {
    jobId,
    jobName: job.name,
    kind: job.kind,
    partitions: job.partitions,
    ...(job.arraySize ? { arraySize: job.arraySize } : {}),
    existing,
  };
}

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
    logger?.info({ secrets: secrets.map((s) => s.name) }, `all ${secrets.length} secrets of job definition ${definition.jobDefinitionName} exist`);
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
    logger?.info({ runId: plan.runId, existing: total - missing.length, missing: missing.length }, `run ${plan.runId} is partly there: submitting only the ${missing.length} missing jobs`);
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
  logger?.info({ runId: plan.runId, submitted: missing.length }, `submitted ${missing.length} jobs for ${plan.partitions.length} partitions`);
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
  if (error instanceof BatchError) return error;
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
