import {
  createBatchApi,
  createSecretsClientFactory,
  getRunStatus,
  looksLikeJobId,
  plannedCalls,
  planCsv,
  planSubmission,
  retryFailed,
  runLocal,
  submit,
  validateRunId,
  defaultRunId,
  waitForRun,
  type RedactingLogger,
  type RunStatus,
  type StatusTarget,
  type BatchApi,
  type CsvPlan,
} from "@mass-ingest/batch";
import { formatIssue } from "@mass-ingest/partition";
import { createProgress, statusProgress } from "./progress.js";
import { jobNameSetting, positiveInt, required, setting } from "./settings.js";

export interface Io {
  stdout: (text: string) => void;
  logger: RedactingLogger;
  signal: AbortSignal;
}

export interface SubmitFlags {
  partitionSize?: string;
  jobQueue?: string;
  jobDefinition?: string;
  jobName?: string;
  runId?: string;
  dryRun?: boolean;
  perPartition?: boolean;
  wait?: boolean;
  /** "batch" (default) or "local"; commander restricts it to these. */
  executor?: "batch" | "local";
  parallel?: string;
  processor?: string;
  childCsv?: string;
  interval?: string;
  concurrency?: string;
  checkSecrets?: boolean;
  json?: boolean;
  strict?: boolean;
}

/** How many invalid rows, and how many duplicates, the warning names (all of them are counted). */
const EXAMPLES = 5;

/** Validate and plan the csv (batch's planCsv); warn about the rows the processors will skip, naming a few. */
async function readPlan(csv: string, size: number, strict: boolean, io: Io): Promise<CsvPlan> {
  const result = await planCsv(csv, { partitionSize: size, strict, examples: EXAMPLES });
  const { invalidRows, duplicateRows, examples } = result;
  if (invalidRows > 0 || duplicateRows > 0) {
    const more = invalidRows + duplicateRows - examples.length;
    io.logger.warn(
      {
        csv,
        rowCount: result.plan.rowCount,
        invalidRows,
        duplicateRows,
        examples: examples.map((i) => ({ row: i.row, line: i.line, code: i.code, ...(i.column !== undefined ? { column: i.column } : {}), message: i.message })),
      },
      `${invalidRows} invalid and ${duplicateRows} duplicate row(s) of ${result.plan.rowCount} will be skipped by the processors:\n` +
        examples.map((i) => `  ${formatIssue(i)}`).join("\n") +
        (more > 0 ? `\n  ... and ${more} more row(s); submit --strict lists every problem (and submits nothing while a row is invalid)` : ""),
    );
  }
  return result;
}

/** A job id or a run id; the queue and job name prefix when given (the library defaults the prefix). */
function batchTarget(target: string, flags: { jobQueue?: string; jobName?: string }): StatusTarget {
  const jobQueue = setting(flags.jobQueue, "JOB_QUEUE");
  const jobName = setting(flags.jobName, "JOB_NAME");
  const given = { ...(jobName ? { jobName } : {}), ...(jobQueue ? { jobQueue } : {}) };
  return looksLikeJobId(target) ? { jobId: target, ...given } : { runId: validateRunId(target), ...given };
}

/** Human summary of a run status. */
export function formatStatus(status: RunStatus): string {
  const c = status.counts;
  const lines = [
    `run ${status.runId}: ${status.total} partitions in ${status.jobs.length} job(s): ` +
      Object.entries(c).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(", ") +
      (status.done ? (status.ok ? " (done, all succeeded)" : " (done)") : " (in progress)"),
  ];
  for (const f of status.failed) {
    lines.push(
      `  partition ${f.partition} FAILED (${f.jobId})` +
        (f.statusReason ? `: ${f.statusReason}` : "") +
        (f.exitCode !== undefined ? `, exit code ${f.exitCode}` : "") +
        (f.logStreamName ? `, logs /aws/batch/job ${f.logStreamName}` : ""),
    );
  }
  return lines.join("\n");
}

async function wait(batch: BatchApi, target: StatusTarget, intervalSeconds: number, io: Io): Promise<RunStatus> {
  const progress = createProgress(io.logger);
  let started = false;
  try {
    return await waitForRun(batch, target, {
      intervalMs: intervalSeconds * 1000,
      signal: io.signal,
      onProgress: (status) => {
        if (!started) {
          progress.start(status.total, `run ${status.runId}`);
          started = true;
        }
        const p = statusProgress(status);
        progress.update(p.done, p.extra);
      },
    });
  } finally {
    progress.stop();
  }
}

export async function submitCommand(csv: string, flags: SubmitFlags, io: Io): Promise<number> {
  const size = positiveInt(setting(flags.partitionSize, "PARTITION_SIZE"), "--partition-size", "PARTITION_SIZE", 50);
  const runId = validateRunId(setting(flags.runId, "RUN_ID") ?? defaultRunId());
  const batchMode = flags.executor !== "local";
  const jobQueue = !batchMode || flags.dryRun
    ? setting(flags.jobQueue, "JOB_QUEUE") ?? "<job-queue>"
    : required(setting(flags.jobQueue, "JOB_QUEUE"), "--job-queue", "JOB_QUEUE", "job queue");
  const jobDefinition = !batchMode || flags.dryRun
    ? setting(flags.jobDefinition, "JOB_DEFINITION") ?? "<job-definition>"
    : required(setting(flags.jobDefinition, "JOB_DEFINITION"), "--job-definition", "JOB_DEFINITION", "job definition");
  const { plan, invalidRows, duplicateRows } = await readPlan(csv, size, flags.strict === true, io);
  const childCsv = flags.childCsv ?? csv;
  io.logger.info(
    { csv, rowCount: plan.rowCount, invalidRows, duplicateRows, partitionSize: size, partitions: plan.partitions.length, runId },
    `planned ${plan.partitions.length} partitions of ${size} over ${plan.rowCount} rows` + (invalidRows + duplicateRows > 0 ? ` (${invalidRows} invalid, ${duplicateRows} duplicate: skipped)` : ""),
  );

  if (!batchMode) {
    const parallel = positiveInt(flags.parallel, "--parallel", undefined, 2);
    const command = flags.processor ? flags.processor.split(/\s+/).filter(Boolean) : undefined;
    if (flags.dryRun) {
      io.stdout(JSON.stringify({ runId, executor: "local", rowCount: plan.rowCount, invalidRows, duplicateRows, partitionSize: size, partitions: plan.partitions, parallel, command: command ?? ["mass-ingest-processor"] }, null, 2));
      return 0;
    }
    const progress = createProgress(io.logger);
    progress.start(plan.partitions.length, `run ${runId} (local)`);
    let failed = 0;
    try {
      const result = await runLocal({
        partitions: plan.partitions,
        csv: childCsv,
        partitionSize: size,
        rowCount: plan.rowCount,
        runId,
        parallel,
        ...(command ? { command } : {}),
        signal: io.signal,
        logger: io.logger,
        onPartitionDone: (r, done) => {
          if (!r.ok && !r.skipped) failed++;
          progress.update(done, { failed });
        },
      });
      progress.stop();
      const summary = { runId, executor: "local", exitCode: result.exitCode, succeeded: result.succeeded, failed: result.failed, failedPartitions: result.partitions.filter((p) => !p.ok).map((p) => ({ partition: p.partition, start: p.start, end: p.end, exitCode: p.exitCode, signal: p.signal, skipped: p.skipped, output: p.output })) };
      io.stdout(flags.json ? JSON.stringify(summary, null, 2) : `run ${runId} (local): ${result.succeeded} partitions succeeded, ${result.failed} failed`);
      return result.exitCode;
    } finally {
      progress.stop();
    }
  }

  const submission = planSubmission({
    plan,
    csv: childCsv,
    runId,
    jobName: jobNameSetting(flags.jobName),
    jobQueue,
    jobDefinition,
    mode: flags.perPartition ? "per-partition" : "array",
  });
  if (flags.dryRun) {
    const calls = plannedCalls(submission, { checkSecrets: flags.checkSecrets !== false });
    io.stdout(
      JSON.stringify(
        {
          dryRun: true,
          runId,
          mode: submission.mode,
          csv: childCsv,
          rowCount: plan.rowCount,
          invalidRows,
          duplicateRows,
          partitionSize: size,
          partitions: plan.partitions,
          jobs: submission.jobs.map((j) => ({ name: j.name, kind: j.kind, arraySize: j.arraySize, partitions: j.partitions.length })),
          calls,
          submitJobCalls: calls.filter((c) => c.operation === "batch:SubmitJob").length,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const batch = createBatchApi();
  const secrets = createSecretsClientFactory();
  try {
    const result = await submit(submission, {
      batch,
      secretsClientFor: secrets.clientFor,
      checkSecrets: flags.checkSecrets !== false,
      concurrency: positiveInt(flags.concurrency, "--concurrency", undefined, 8),
      logger: io.logger,
    });
    const summary = {
      runId,
      alreadySubmitted: result.alreadySubmitted,
      submitted: result.submittedCount,
      existing: result.existingCount,
      jobs: result.jobs,
      apiCalls: batch.calls,
    };
    if (flags.json) io.stdout(JSON.stringify(summary, null, 2));
    else if (result.alreadySubmitted) io.stdout(`run ${runId} was already submitted (${result.existingCount} job(s) found): submitted nothing`);
    else io.stdout(`run ${runId}: submitted ${result.submittedCount} job(s) for ${plan.partitions.length} partitions` + (result.existingCount ? ` (${result.existingCount} already there)` : "") + `\n` + result.jobs.map((j) => `  ${j.jobName} ${j.jobId}${j.arraySize ? ` array of ${j.arraySize}` : ""}`).join("\n"));
    if (!flags.wait) return 0;
    const status = await wait(batch, { runId, jobQueue, jobName: submission.jobName }, positiveInt(flags.interval, "--interval", undefined, 30), io);
    io.stdout(formatStatus(status));
    return status.failed.length > 0 ? 1 : 0;
  } finally {
    secrets.close();
  }
}

export interface StatusFlags {
  jobQueue?: string;
  jobName?: string;
  wait?: boolean;
  json?: boolean;
  interval?: string;
}

export async function statusCommand(target: string, flags: StatusFlags, io: Io): Promise<number> {
  const batch = createBatchApi();
  const t = batchTarget(target, flags);
  const status = flags.wait ? await wait(batch, t, positiveInt(flags.interval, "--interval", undefined, 30), io) : await getRunStatus(batch, t);
  io.stdout(flags.json ? JSON.stringify(status, null, 2) : formatStatus(status));
  return status.failed.length > 0 ? 1 : 0;
}

export interface RetryFlags {
  jobQueue?: string;
  jobDefinition?: string;
  jobName?: string;
  dryRun?: boolean;
  json?: boolean;
}

export async function retryCommand(target: string, flags: RetryFlags, io: Io): Promise<number> {
  const batch = createBatchApi();
  const t = batchTarget(target, flags);
  // Only the flags: without them the retry uses the run's own queue and job definition (not JOB_QUEUE / JOB_DEFINITION).
  const jobDefinition = flags.jobDefinition?.trim();
  const result = await retryFailed(batch, t, {
    ...(flags.jobQueue ? { jobQueue: flags.jobQueue } : {}),
    ...(jobDefinition ? { jobDefinition } : {}),
    ...(flags.dryRun ? { dryRun: true } : {}),
    logger: io.logger,
  });
  const summary = {
    runId: result.runId,
    dryRun: flags.dryRun === true,
    partitions: result.partitions,
    jobs: flags.dryRun ? result.planned.map((j) => ({ name: j.name, arraySize: j.arraySize, input: j.input })) : result.jobs,
  };
  if (flags.json || flags.dryRun) io.stdout(JSON.stringify(summary, null, 2));
  else if (result.partitions.length === 0) io.stdout(`run ${result.runId}: no failed partitions, nothing to retry`);
  else io.stdout(`run ${result.runId}: retrying ${result.partitions.length} failed partition(s) [${result.partitions.join(",")}] as ${result.jobs.map((j) => `${j.jobName} ${j.jobId}`).join(", ")}`);
  return 0;
}
