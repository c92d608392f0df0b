import { createBatchApi, submit, type SubmissionPlan, type SubmitResult } from "@mass-ingest/batch";
import { createSecretsClientFactory } from "@mass-ingest/core/aws";
import type { CsvPlan } from "@mass-ingest/partition";
import type { Io } from "../../io.js";
import { waitWithProgress } from "../../wait.js";
import { reportAfterRun } from "../report/after-run.js";
import { formatStatus } from "../status/format.js";
import { submissionOf } from "./dry-run.js";
import type { BatchSettings, CommonSettings, StateSettings, SubmitSettings } from "./settings.js";

/** What a submit prints without --json. */
function describeSubmit(runId: string, partitions: number, result: SubmitResult): string {
  if (result.alreadySubmitted) return `run ${runId} was already submitted (${result.existingCount} job(s) found): submitted nothing`;
  return (
    `run ${runId}: submitted ${result.submittedCount} job(s) for ${partitions} partitions` +
    (result.existingCount ? ` (${result.existingCount} already there)` : "") +
    `\n` +
    result.jobs.map((j) => `  ${j.jobName} ${j.jobId}${j.arraySize ? ` array of ${j.arraySize}` : ""}`).join("\n")
  );
}

/**
 * `submit` to AWS Batch: check queue, job definition and its secrets, submit what is missing of the run (same run
 * id again submits nothing), print the jobs; with --wait, poll until done (exit 1 when a partition failed).
 */
export function batchSubmit(settings: SubmitSettings, csvPlan: CsvPlan, io: Io): Promise<number> {
  return submitToBatch(settings, submissionOf(settings, csvPlan), io);
}

/** Submit the planned jobs (what is missing of the run), print them, and with --wait poll until done. */
export async function submitToBatch(
  settings: CommonSettings & BatchSettings & Pick<StateSettings, "state">,
  submission: SubmissionPlan,
  io: Io,
): Promise<number> {
  const { runId } = settings;
  const batch = createBatchApi();
  const secrets = createSecretsClientFactory();
  try {
    const result = await submit(submission, {
      batch,
      secretsClientFor: secrets.clientFor,
      checkSecrets: settings.checkSecrets,
      concurrency: settings.concurrency,
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
    io.stdout(settings.json ? JSON.stringify(summary, null, 2) : describeSubmit(runId, submission.partitions.length, result));
    if (!settings.wait) return 0;
    const target = { runId, jobQueue: settings.jobQueue, jobName: submission.jobName };
    const status = await waitWithProgress(batch, target, settings.interval, io);
    io.stdout(formatStatus(status));
    const report = settings.state ? await reportAfterRun(settings.state, runId, io) : undefined;
    if (report) io.stdout(`report: ${report}`);
    return status.failed.length > 0 ? 1 : 0;
  } finally {
    secrets.close();
  }
}
