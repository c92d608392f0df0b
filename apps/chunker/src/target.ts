import { looksLikeJobId, validateRunId, type StatusTarget } from "@mass-ingest/batch";
import { CHUNKER_ENV } from "@mass-ingest/contract";
import { z } from "zod";
import { checked, flagOrEnv } from "./settings.js";

/** The raw settings `status` and `retry` share: a job id or a run id, and the run's queue and job name prefix. */
export interface TargetFlags {
  jobQueue?: string;
  jobName?: string;
}

/** A job id as is, else a run id (checked: it goes into job names). */
const targetValue = checked((value: string): StatusTarget => (looksLikeJobId(value) ? { jobId: value } : { runId: validateRunId(value) }));

/** Schema of a target; the queue and the job name prefix only when given (the library defaults the prefix). */
export const targetSchema = z
  .object({ target: targetValue, jobQueue: z.string().optional(), jobName: z.string().optional() })
  .transform((t): StatusTarget => ({
    ...t.target,
    ...(t.jobName ? { jobName: t.jobName } : {}),
    ...(t.jobQueue ? { jobQueue: t.jobQueue } : {}),
  }));

/** The raw target input: `<target>` plus `--job-queue` / JOB_QUEUE and `--job-name` / JOB_NAME. */
export function targetInput(
  target: string,
  flags: TargetFlags,
  env: Readonly<Record<string, string | undefined>>,
): z.input<typeof targetSchema> {
  const jobQueue = flagOrEnv(flags.jobQueue, CHUNKER_ENV.jobQueue.name, env);
  const jobName = flagOrEnv(flags.jobName, CHUNKER_ENV.jobName.name, env);
  return { target, ...(jobQueue ? { jobQueue } : {}), ...(jobName ? { jobName } : {}) };
}

/**
 * Whether `status` / `retry` ask AWS Batch rather than the state store when neither `--state` nor STATE_URL is
 * given: for a job id, or when a job queue is named (`--job-queue` / JOB_QUEUE). Otherwise the state store at
 * `<DATA_DIR>/state`, the same default as `submit --executor local` and `report`.
 */
export function asksBatch(target: string, flags: TargetFlags, env: Readonly<Record<string, string | undefined>>): boolean {
  return looksLikeJobId(target) || flagOrEnv(flags.jobQueue, CHUNKER_ENV.jobQueue.name, env) !== undefined;
}
