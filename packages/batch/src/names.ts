import { DEFAULTS, JOB_ID_ENV } from "@mass-ingest/contract";
import { BatchError } from "./errors.js";

/** AWS Batch job names: 1-128 letters, digits, hyphens, underscores; first character alphanumeric. */
const JOB_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const RUN_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The run id when none is given. Inside an AWS Batch job (the nightly chunk job started by the scheduler) it is
 * that job's id, which stays the same across Batch's retries of the job: a retried chunk job then finds the jobs its
 * first attempt submitted instead of submitting the whole run again. Elsewhere a time: "20261129T181000Z" (UTC,
 * sortable, valid in job names).
 */
export function defaultRunId(now: Date = new Date(), env: Readonly<Record<string, string | undefined>> = process.env): string {
  const batchJobId = env[JOB_ID_ENV];
  if (batchJobId !== undefined && RUN_ID_RE.test(batchJobId)) return batchJobId;
  return now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/[-:]/g, "");
}

/** Check a run id (letters, digits, "-", "_", up to 64, first alphanumeric): it goes into job names and tags. */
export function validateRunId(runId: string): string {
  if (!RUN_ID_RE.test(runId)) {
    throw new BatchError("INVALID_RUN_ID", `Run id "${runId}" can only hold letters, digits, "-" and "_" (up to 64, first alphanumeric).`, {
      hint: "Pass --run-id with a value like 2026-11-29 or nightly_42.",
    });
  }
  return runId;
}

/** Check a job name prefix (--job-name / JOB_NAME). */
export function validateJobName(name: string): string {
  if (!JOB_NAME_RE.test(name) || name.length > 48) {
    throw new BatchError(
      "INVALID_SETTING",
      `Job name "${name}" (--job-name / JOB_NAME) can only hold letters, digits, "-" and "_" (up to 48, first alphanumeric).`,
      {
        hint: "Use a short prefix such as mass-ingest; the run id and a suffix are added to it.",
      },
    );
  }
  return name;
}

/** The name every job of a run starts with: "<prefix>-<runId>". */
export function runJobPrefix(jobName: string, runId: string): string {
  return `${jobName}-${runId}`;
}

/** Array job k (1-based) of n: "<prefix>-<runId>" or "<prefix>-<runId>-a<k>" when there are several. */
export function arrayJobName(jobName: string, runId: string, k: number, n: number): string {
  return n > 1 ? `${runJobPrefix(jobName, runId)}-a${k}` : runJobPrefix(jobName, runId);
}

/** Per-partition job: "<prefix>-<runId>-p<partition>". */
export function partitionJobName(jobName: string, runId: string, partition: number): string {
  return `${runJobPrefix(jobName, runId)}-p${partition}`;
}

/** Retry attempt r, chunk k of n: "<prefix>-<runId>-r<r>" or "...-r<r>-a<k>". */
export function retryJobName(jobName: string, runId: string, attempt: number, k: number, n: number): string {
  const base = `${runJobPrefix(jobName, runId)}-r${attempt}`;
  return n > 1 ? `${base}-a${k}` : base;
}

/** The prefix a run's job was submitted with ("nightly" for "nightly-<runId>-p3"); default when it cannot tell. */
export function jobNamePrefixOf(jobName: string, runId: string): string {
  const i = jobName.indexOf(`-${runId}`);
  return i > 0 ? jobName.slice(0, i) : DEFAULTS.jobName;
}
