import type { JobDetail, JobStatus, JobSummary } from "@aws-sdk/client-batch";
import { batchCall, describeJobs, findRunJobs } from "./aws-calls.js";
import type { BatchApi } from "./clients.js";
import { DEFAULTS, parsePartitions, PROCESSOR_PARAMETERS, TAGS } from "@mass-ingest/contract";
import type { AbortSignalLike } from "@mass-ingest/core";
import { BatchError } from "./errors.js";
import { jobNamePrefixOf } from "./names.js";
import type { JobKind } from "./plan-submission.js";

/** Every AWS Batch job status, in lifecycle order. */
export const JOB_STATUSES: readonly JobStatus[] = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"];

/** A top-level job of a run. */
export interface RunJob {
  jobId: string;
  jobName: string;
  kind: JobKind | "unknown";
  status: JobStatus | "UNKNOWN";
  createdAt: number;
  jobQueue?: string;
  jobDefinition?: string;
  parameters: Record<string, string>;
  partitions: number[];
  arraySize?: number;
}

/** Where one partition stands (its latest attempt). */
export interface PartitionState {
  partition: number;
  status: JobStatus | "UNKNOWN";
  /** Job id of the attempt ("<arrayJobId>:<index>" for array children). */
  jobId: string;
  jobName: string;
  statusReason?: string;
  exitCode?: number;
  /** CloudWatch Logs stream (group /aws/batch/job). */
  logStreamName?: string;
  /** How many jobs ran this partition (1 + retries). */
  attempts: number;
}

export interface RunStatus {
  runId: string;
  jobs: RunJob[];
  /** Distinct partitions. */
  total: number;
  /** Partitions by the status of their latest attempt. */
  counts: Record<JobStatus, number>;
  /** Partitions whose latest attempt FAILED, with reason, exit code and log stream. */
  failed: PartitionState[];
  partitions: PartitionState[];
  /** Every partition is SUCCEEDED or FAILED. */
  done: boolean;
  /** done and nothing failed. */
  ok: boolean;
}

/** What to look at: a run id (needs the queue and the job name prefix) or a job id. */
export interface StatusTarget {
  runId?: string;
  jobId?: string;
  jobQueue?: string;
  /** Job name prefix the run was submitted with; default "mass-ingest". */
  jobName?: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?::\d+)?$/i;

/** True when the argument looks like an AWS Batch job id rather than a run id. */
export function looksLikeJobId(value: string): boolean {
  return UUID_RE.test(value);
}

function kindOf(job: JobDetail): JobKind | "unknown" {
  const k = job.tags?.[TAGS.kind];
  return k === "array" || k === "single" || k === "partition" || k === "retry" ? k : "unknown";
}

function partitionsOf(job: JobDetail): number[] {
  const params = job.parameters ?? {};
  const size = job.arrayProperties?.size;
  let list: "all" | number[] = "all";
  try {
    list = parsePartitions(params[PROCESSOR_PARAMETERS.partitions] ?? "all");
  } catch {
    list = "all";
  }
  if (list !== "all") return list;
  if (size) return Array.from({ length: size }, (_, i) => i + 1);
  // Plain job with "all": derive from start/end and the size when they name one partition.
  const start = Number(params[PROCESSOR_PARAMETERS.start] ?? 0);
  const partitionSize = Number(params[PROCESSOR_PARAMETERS.partitionSize] ?? 0);
  if (start > 0 && partitionSize > 0) return [Math.floor((start - 1) / partitionSize) + 1];
  return [1];
}

export function toRunJob(job: JobDetail): RunJob {
  return {
    jobId: job.jobId!,
    jobName: job.jobName ?? "",
    kind: kindOf(job),
    status: job.status ?? "UNKNOWN",
    createdAt: job.createdAt ?? 0,
    ...(job.jobQueue ? { jobQueue: job.jobQueue } : {}),
    ...(job.jobDefinition ? { jobDefinition: job.jobDefinition } : {}),
    parameters: job.parameters ?? {},
    partitions: partitionsOf(job),
    ...(job.arrayProperties?.size ? { arraySize: job.arrayProperties.size } : {}),
  };
}

function detailFields(d: JobDetail | JobSummary): Pick<PartitionState, "statusReason" | "exitCode" | "logStreamName"> {
  const attempt = "attempts" in d ? d.attempts?.[d.attempts.length - 1] : undefined;
  const container = d.container as { exitCode?: number; logStreamName?: string; reason?: string } | undefined;
  const exitCode = container?.exitCode ?? attempt?.container?.exitCode;
  const logStreamName = container?.logStreamName ?? attempt?.container?.logStreamName;
  const statusReason = d.statusReason ?? attempt?.statusReason ?? container?.reason;
  return {
    ...(statusReason ? { statusReason } : {}),
    ...(exitCode !== undefined && exitCode !== null ? { exitCode } : {}),
    ...(logStreamName ? { logStreamName } : {}),
  };
}

/** Array children of one array job, by status (one ListJobs per status that the parent's summary says is non-empty). */
async function listChildren(batch: BatchApi, parent: JobDetail): Promise<JobSummary[]> {
  const summary = parent.arrayProperties?.statusSummary;
  const statuses = summary ? JOB_STATUSES.filter((s) => (summary[s] ?? 0) > 0) : JOB_STATUSES;
  const out: JobSummary[] = [];
  for (const status of statuses) {
    let nextToken: string | undefined;
    do {
      const res = await batchCall("ListJobs", () =>
        batch.listJobs({ arrayJobId: parent.jobId!, jobStatus: status, ...(nextToken ? { nextToken } : {}) }),
      );
      for (const j of res.jobSummaryList ?? []) if (j.status === status || j.status === undefined) out.push(j);
      nextToken = res.nextToken;
    } while (nextToken);
  }
  return out;
}

function childIndex(summary: JobSummary): number | undefined {
  if (summary.arrayProperties?.index !== undefined) return summary.arrayProperties.index;
  const m = /:(\d+)$/.exec(summary.jobId ?? "");
  return m ? Number(m[1]) : undefined;
}

/** Resolve a target to the run's top-level jobs. */
export async function runJobsOf(batch: BatchApi, target: StatusTarget): Promise<{ runId: string; jobs: JobDetail[] }> {
  if (target.jobId) {
    const [job] = await describeJobs(batch, [target.jobId.replace(/:\d+$/, "")]);
    if (!job) {
      throw new BatchError("JOB_NOT_FOUND", `AWS Batch has no job ${target.jobId} (jobs are kept for about 7 days).`, {
        hint: "Check the job id and AWS_REGION, or pass the run id with --job-queue.",
      });
    }
    const runId = job.tags?.[TAGS.runId];
    if (!runId || !job.jobQueue) return { runId: runId ?? job.jobId!, jobs: [job] };
    const jobName = target.jobName ?? jobNamePrefixOf(job.jobName ?? "", runId);
    const jobs = await findRunJobs(batch, { jobQueue: job.jobQueue, jobName, runId });
    return { runId, jobs: jobs.some((j) => j.jobId === job.jobId) ? jobs : [job, ...jobs] };
  }
  if (!target.runId)
    throw new BatchError("MISSING_SETTING", "Pass a job id or a run id.", { hint: "mass-ingest-chunker status <job-id|run-id>" });
  if (!target.jobQueue) {
    throw new BatchError("MISSING_SETTING", `Looking up run "${target.runId}" needs the job queue (--job-queue / JOB_QUEUE).`, {
      hint: "Pass --job-queue or set JOB_QUEUE, or pass a job id instead of the run id.",
    });
  }
  const jobs = await findRunJobs(batch, { jobQueue: target.jobQueue, jobName: target.jobName ?? DEFAULTS.jobName, runId: target.runId });
  if (jobs.length === 0) {
    throw new BatchError(
      "RUN_NOT_FOUND",
      `No jobs of run "${target.runId}" (names ${target.jobName ?? DEFAULTS.jobName}-${target.runId}*) in queue ${target.jobQueue}.`,
      {
        hint: "Check the run id, --job-name / JOB_NAME (the prefix it was submitted with) and the queue.",
      },
    );
  }
  return { runId: target.runId, jobs };
}

const KIND_ORDER: Record<string, number> = { array: 0, single: 0, partition: 0, unknown: 0, retry: 1 };

/**
 * Status of a run (or of the run a job id belongs to): counts by status across array children, each
 * partition's latest attempt (retries supersede), and failed partitions with status reason, exit code
 * and CloudWatch log stream.
 */
export async function getRunStatus(batch: BatchApi, target: StatusTarget): Promise<RunStatus> {
  const { runId, jobs } = await runJobsOf(batch, target);
  const ordered = [...jobs].sort(
    (a, b) =>
      (a.createdAt ?? 0) - (b.createdAt ?? 0) ||
      KIND_ORDER[kindOf(a)]! - KIND_ORDER[kindOf(b)]! ||
      (a.jobName ?? "").localeCompare(b.jobName ?? ""),
  );
  const states = new Map<number, PartitionState>();
  const failedChildIds: string[] = [];
  const put = (partition: number, state: Omit<PartitionState, "attempts" | "partition">) => {
    const previous = states.get(partition);
    states.set(partition, { partition, ...state, attempts: (previous?.attempts ?? 0) + 1 });
  };
  const runJobs = ordered.map(toRunJob);
  for (const [i, job] of ordered.entries()) {
    const runJob = runJobs[i]!;
    if (runJob.arraySize) {
      const children = await listChildren(batch, job);
      const seen = new Set<number>();
      for (const child of children) {
        const index = childIndex(child);
        const partition = index === undefined ? undefined : runJob.partitions[index];
        if (partition === undefined) continue;
        seen.add(index!);
        put(partition, {
          status: child.status ?? "UNKNOWN",
          jobId: child.jobId!,
          jobName: child.jobName ?? runJob.jobName,
          ...detailFields(child),
        });
        if (child.status === "FAILED") failedChildIds.push(child.jobId!);
      }
      runJob.partitions.forEach((partition, index) => {
        // Children not created yet: they share the parent's status.
        if (!seen.has(index)) put(partition, { status: job.status ?? "UNKNOWN", jobId: `${job.jobId}:${index}`, jobName: runJob.jobName });
      });
    } else {
      for (const partition of runJob.partitions)
        put(partition, { status: runJob.status, jobId: runJob.jobId, jobName: runJob.jobName, ...detailFields(job) });
    }
  }
  // Details (exit code, log stream) of failed children that are still the latest attempt.
  const latestFailedIds = new Set([...states.values()].filter((s) => s.status === "FAILED").map((s) => s.jobId));
  const latestFailed = failedChildIds.filter((id) => latestFailedIds.has(id));
  if (latestFailed.length > 0) {
    const details = new Map((await describeJobs(batch, latestFailed)).map((d) => [d.jobId, d]));
    for (const state of states.values()) {
      const d = details.get(state.jobId);
      if (d) Object.assign(state, detailFields(d));
    }
  }
  const partitions = [...states.values()].sort((a, b) => a.partition - b.partition);
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const p of partitions) if (p.status !== "UNKNOWN") counts[p.status]++;
  const failed = partitions.filter((p) => p.status === "FAILED");
  const done = partitions.every((p) => p.status === "SUCCEEDED" || p.status === "FAILED");
  return { runId, jobs: runJobs, total: partitions.length, counts, failed, partitions, done, ok: done && failed.length === 0 };
}

export interface WaitOptions {
  /** Poll interval (default 30 s). */
  intervalMs?: number;
  /** Give up after this long (default: never); throws BatchError "WAIT_TIMEOUT". */
  timeoutMs?: number;
  onProgress?: (status: RunStatus) => void;
  /** Stop waiting (an AbortSignal; typed by the members used, so the declarations need no DOM or Node types). */
  signal?: AbortSignalLike;
}

/** Wait `ms`; rejects with the signal's reason when it aborts first (its listener removed either way). */
function sleep(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Poll `getRunStatus` until every partition is SUCCEEDED or FAILED. */
export async function waitForRun(batch: BatchApi, target: StatusTarget, options: WaitOptions = {}): Promise<RunStatus> {
  const interval = options.intervalMs ?? 30_000;
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason;
    const status = await getRunStatus(batch, target);
    options.onProgress?.(status);
    if (status.done) return status;
    if (Date.now() + interval > deadline) {
      throw new BatchError(
        "WAIT_TIMEOUT",
        `Run ${status.runId} is not done after ${options.timeoutMs} ms (${status.total - status.counts.SUCCEEDED - status.counts.FAILED} partitions left).`,
        {
          hint: "Wait longer, or look again later with `mass-ingest-chunker status`.",
        },
      );
    }
    await sleep(interval, options.signal);
  }
}
