import { plannedCalls, planSubmission, type ManifestPlan, type SubmissionPlan } from "@mass-ingest/batch";
import type { CsvPlan } from "@mass-ingest/partition";
import type { Io } from "../../io.js";
import { DEFAULT_PROCESSOR_COMMAND, type SubmitSettings } from "./settings.js";

/** What every submission of this run shares: csv, run id, job name, queue, definition, layout. */
function submissionBase(settings: SubmitSettings) {
  return {
    csv: settings.childCsv,
    runId: settings.runId,
    jobName: settings.jobName,
    jobQueue: settings.jobQueue,
    jobDefinition: settings.jobDefinition,
    mode: settings.perPartition ? ("per-partition" as const) : ("array" as const),
  };
}

/** The SubmitJob inputs of this run (pure): what a Batch submit sends and a dry run prints. */
export function submissionOf(settings: SubmitSettings, csvPlan: CsvPlan): SubmissionPlan {
  return planSubmission({ plan: csvPlan.plan, ...submissionBase(settings) });
}

/** A recorded run manifest as either executor runs it: its location, the csv's rows, `partitions` partitions. */
export function manifestPlan(settings: SubmitSettings, rowCount: number, planned: { location: string; partitions: number }): ManifestPlan {
  return { location: planned.location, rowCount, partitionSize: settings.partitionSize, partitions: planned.partitions };
}

/** One array child per manifest partition (a plain job for one), the `plan` parameter set to the manifest. */
export function plannedSubmission(settings: SubmitSettings, manifest: ManifestPlan): SubmissionPlan {
  return planSubmission({ manifest, ...submissionBase(settings) });
}

/** `submit --dry-run`: print the plan and the API calls a Batch submit would make, as JSON; submit nothing. */
export function batchDryRun(settings: SubmitSettings, csvPlan: CsvPlan, io: Io): number {
  const { plan, invalidRows, duplicateRows } = csvPlan;
  const submission = submissionOf(settings, csvPlan);
  const calls = plannedCalls(submission, { checkSecrets: settings.checkSecrets });
  const out = {
    dryRun: true,
    runId: settings.runId,
    mode: submission.mode,
    csv: settings.childCsv,
    rowCount: plan.rowCount,
    invalidRows,
    duplicateRows,
    partitionSize: settings.partitionSize,
    partitions: plan.partitions,
    jobs: submission.jobs.map((j) => ({ name: j.name, kind: j.kind, arraySize: j.arraySize, partitions: j.partitions.length })),
    calls,
    submitJobCalls: calls.filter((c) => c.operation === "batch:SubmitJob").length,
  };
  io.stdout(JSON.stringify(out, null, 2));
  return 0;
}

/** `submit --executor local --dry-run`: print the partitions and the processor command, run nothing. */
export function localDryRun(settings: SubmitSettings, csvPlan: CsvPlan, io: Io): number {
  const { plan, invalidRows, duplicateRows } = csvPlan;
  const out = {
    runId: settings.runId,
    executor: "local",
    rowCount: plan.rowCount,
    invalidRows,
    duplicateRows,
    partitionSize: settings.partitionSize,
    partitions: plan.partitions,
    parallel: settings.parallel,
    command: settings.processor ?? DEFAULT_PROCESSOR_COMMAND,
  };
  io.stdout(JSON.stringify(out, null, 2));
  return 0;
}
