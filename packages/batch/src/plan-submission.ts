import type { SubmitJobCommandInput } from "@aws-sdk/client-batch";
import { buildProcessorParameters, DEFAULTS, TAGS, type RowRange } from "@mass-ingest/contract";
import { jobDefinitionQuery } from "./aws-calls.js";
import { BatchError } from "./errors.js";
import { arrayJobName, partitionJobName, runJobPrefix, validateJobName, validateRunId } from "./names.js";

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

/** Partitions of contiguous rows (e.g. `planBySize` of @mass-ingest/partition): a child selects its rows by range. */
export interface RowRangePlan {
  rowCount: number;
  /** Rows per partition; default: the first partition's length. */
  partitionSize?: number;
  partitions: ReadonlyArray<RowRange & { partition: number }>;
}

/** A run manifest in the state store: child i runs the rows the manifest plans for partition i + 1. */
export interface ManifestPlan {
  /** Where the manifest is (`<state>/runs/<runId>/manifest.json`): the jobs' `plan` parameter. */
  location: string;
  /** Data rows of the csv the manifest was planned over. */
  rowCount: number;
  partitionSize: number;
  /** How many partitions the manifest plans (numbered 1..n). */
  partitions: number;
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
  /** The partition numbers submitted, in order. */
  partitions: number[];
  /** The manifest the jobs run (`plan` parameter); absent for a row-range plan. */
  manifest?: string;
  jobs: PlannedJob[];
}

/** What is submitted: row ranges (`plan`) or a run manifest (`manifest`), never both. */
export type SubmissionInput = { plan: RowRangePlan; manifest?: never } | { manifest: ManifestPlan; plan?: never };

export type PlanSubmissionOptions = SubmissionInput & {
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
};

/** A job built for a list of partitions: an array job (2+), or a plain job with start/end (1). */
export function jobForPartitions(options: {
  name: string;
  kind: JobKind;
  partitions: readonly number[];
  /** true: "all" (child i runs partition i + 1) for the parameter; only valid when partitions are 1..n. */
  all?: boolean;
  /** The rows of a partition, for a plain job; absent with `plan`: the manifest decides. */
  ranges?: (partition: number) => RowRange;
  /** The run manifest's location (the `plan` parameter). */
  plan?: string;
  csv: string;
  partitionSize: number;
  rowCount: number;
  runId: string;
  jobQueue: string;
  jobDefinition: string;
  extraTags?: Record<string, string>;
}): PlannedJob {
  const tags = { [TAGS.runId]: options.runId, [TAGS.kind]: options.kind, ...options.extraTags };
  const common = {
    csv: options.csv,
    partitionSize: options.partitionSize,
    rowCount: options.rowCount,
    runId: options.runId,
    ...(options.plan !== undefined ? { plan: options.plan } : {}),
  };
  if (options.partitions.length === 1) {
    const partition = options.partitions[0]!;
    const range = options.ranges?.(partition) ?? {};
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

/** The partitions of either input kind, their sizes, and how a plain job finds its rows. */
function layoutOf(input: SubmissionInput): {
  partitions: number[];
  rowCount: number;
  partitionSize: number;
  ranges?: (n: number) => RowRange;
  manifest?: string;
} {
  if (input.manifest) {
    const m = input.manifest;
    const partitions = Array.from({ length: m.partitions }, (_, i) => i + 1);
    return { partitions, rowCount: m.rowCount, partitionSize: m.partitionSize, manifest: m.location };
  }
  const { plan } = input;
  const first = plan.partitions[0];
  const partitionSize = plan.partitionSize ?? (first ? first.end - first.start + 1 : 1);
  const byNumber = new Map(plan.partitions.map((p) => [p.partition, p]));
  const ranges = (n: number) => {
    const p = byNumber.get(n);
    if (!p) throw new BatchError("INVALID_PARTITIONS", `Partition ${n} is not in the plan.`);
    return { start: p.start, end: p.end };
  };
  return { partitions: plan.partitions.map((p) => p.partition), rowCount: plan.rowCount, partitionSize, ranges };
}

/**
 * Lay a partition plan out as SubmitJob calls (pure, no I/O): array mode makes one array job per up to
 * 10,000 partitions (a single partition is a plain job); per-partition mode one job per partition. With row
 * ranges (`plan`) a plain job carries its start/end; with a `manifest` every job carries the manifest's location
 * and the manifest decides the rows. Every job carries the run id in its name and tags.
 */
export function planSubmission(options: PlanSubmissionOptions): SubmissionPlan {
  const runId = validateRunId(options.runId);
  const jobName = validateJobName(options.jobName ?? DEFAULTS.jobName);
  const mode = options.mode ?? "array";
  const max = Math.min(options.maxArraySize ?? MAX_ARRAY_SIZE, MAX_ARRAY_SIZE);
  if (!Number.isSafeInteger(max) || max < 2) {
    throw new BatchError("INVALID_SETTING", `maxArraySize ${options.maxArraySize} must be an integer from 2 to 10000.`, {
      hint: "Leave it unset for the AWS Batch maximum (10,000).",
    });
  }
  const layout = layoutOf(options);
  const base = {
    csv: options.csv,
    partitionSize: layout.partitionSize,
    rowCount: layout.rowCount,
    runId,
    jobQueue: options.jobQueue,
    jobDefinition: options.jobDefinition,
    ...(layout.ranges ? { ranges: layout.ranges } : {}),
    ...(layout.manifest !== undefined ? { plan: layout.manifest } : {}),
  };
  const numbers = layout.partitions;
  const jobs: PlannedJob[] = [];
  if (mode === "per-partition") {
    for (const n of numbers)
      jobs.push(jobForPartitions({ ...base, name: partitionJobName(jobName, runId, n), kind: "partition", partitions: [n] }));
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
    rowCount: layout.rowCount,
    partitionSize: layout.partitionSize,
    partitions: numbers,
    ...(layout.manifest !== undefined ? { manifest: layout.manifest } : {}),
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
    calls.push({
      operation: "secretsmanager:DescribeSecret",
      input: { SecretId: "<each secret the job definition references>" },
      note: "every referenced secret exists",
    });
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
