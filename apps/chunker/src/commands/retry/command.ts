import { createBatchApi, retryFailed, type RetryResult } from "@mass-ingest/batch";
import { z } from "zod";
import type { Io } from "../../io.js";
import { parseSettings } from "../../settings.js";
import { stateLocation } from "../../state/location.js";
import type { SubmitFlags } from "../submit/settings.js";
import { stateRetry } from "./state-retry.js";
import { asksBatch, targetInput, targetSchema, type TargetFlags } from "../../target.js";

export interface RetryFlags
  extends
    TargetFlags,
    Pick<
      SubmitFlags,
      "executor" | "processor" | "parallel" | "partitionSize" | "workers" | "wait" | "interval" | "checkSecrets" | "runId"
    > {
  state?: string;
  jobDefinition?: string;
  /** With --state on AWS Batch: where the memory failures retry (JOB_DEFINITION_LARGE). */
  largeJobDefinition?: string;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * The retry's own queue and job definition come from the flags only: without them the retry uses the run's own
 * (not JOB_QUEUE / JOB_DEFINITION, which only help find the run).
 */
const retrySchema = z.object({
  target: targetSchema,
  jobQueue: z.string().optional(),
  jobDefinition: z.string().optional(),
  dryRun: z.boolean(),
  json: z.boolean(),
});

function describeRetry(result: RetryResult): string {
  if (result.partitions.length === 0) return `run ${result.runId}: no failed partitions, nothing to retry`;
  return `run ${result.runId}: retrying ${result.partitions.length} failed partition(s) [${result.partitions.join(",")}] as ${result.jobs.map((j) => `${j.jobName} ${j.jobId}`).join(", ")}`;
}

/** `retry <target>`: submit the failed partitions of a run again as one array job linked to the run. */
export async function retryCommand(target: string, flags: RetryFlags, io: Io): Promise<number> {
  const state = stateLocation(flags.state, io.env, !asksBatch(target, flags, io.env));
  if (state) {
    return stateRetry(
      state,
      target,
      { ...flags, state, ...(flags.jobDefinition ? { jobDefinition: flags.jobDefinition.trim() } : {}) },
      io,
    );
  }
  const jobDefinition = flags.jobDefinition?.trim();
  const settings = parseSettings(retrySchema, {
    target: targetInput(target, flags, io.env),
    ...(flags.jobQueue ? { jobQueue: flags.jobQueue } : {}),
    ...(jobDefinition ? { jobDefinition } : {}),
    dryRun: flags.dryRun === true,
    json: flags.json === true,
  });
  const result = await retryFailed(createBatchApi(), settings.target, {
    ...(settings.jobQueue ? { jobQueue: settings.jobQueue } : {}),
    ...(settings.jobDefinition ? { jobDefinition: settings.jobDefinition } : {}),
    ...(settings.dryRun ? { dryRun: true } : {}),
    logger: io.logger,
  });
  const summary = {
    runId: result.runId,
    dryRun: settings.dryRun,
    partitions: result.partitions,
    jobs: settings.dryRun ? result.planned.map((j) => ({ name: j.name, arraySize: j.arraySize, input: j.input })) : result.jobs,
  };
  io.stdout(settings.json || settings.dryRun ? JSON.stringify(summary, null, 2) : describeRetry(result));
  return 0;
}
