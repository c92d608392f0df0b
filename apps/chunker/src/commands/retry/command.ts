import { Option, type Command } from "commander";
import { createBatchApi, retryFailed, type RetryResult } from "@mass-ingest/batch";
import { CHUNKER_ENV, DEFAULTS } from "@mass-ingest/contract";
import type { CliContext } from "@mass-ingest/core";
import { z } from "zod";
import type { Io } from "../../io.js";
import { parseSettings } from "../../settings.js";
import { stateLocation } from "../../state/location.js";
import type { SubmitFlags } from "../submit/settings.js";
import { stateRetry } from "./state-retry.js";
import { targetInput, targetSchema, type TargetFlags } from "../../target.js";

export interface RetryFlags
  extends
    TargetFlags,
    Pick<
      SubmitFlags,
      "executor" | "processor" | "parallel" | "partitionSize" | "workers" | "wait" | "interval" | "checkSecrets" | "runId"
    > {
  state?: string;
  jobDefinition?: string;
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
  const state = stateLocation(flags.state, io.env, false);
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

export function defineRetry(program: Command, context: CliContext, io: Io): void {
  program
    .command("retry")
    .description("Submit only the failed partitions of a run again, as one array job linked to the run.")
    .argument("<target>", "job id or run id")
    .option("--job-queue <queue>", `queue (env ${CHUNKER_ENV.jobQueue.name}; default: the run's queue)`)
    .option("--job-definition <def>", "job definition (default: the run's)")
    .option("--job-name <name>", `job name prefix of the run (env ${CHUNKER_ENV.jobName.name}, default ${DEFAULTS.jobName})`)
    .option("--dry-run", "print what would be submitted")
    .option("--json", "print the result as JSON")
    .option(
      "--state <location>",
      `the state store (env ${CHUNKER_ENV.stateUrl.name}): retry only the repositories of the run that did not finish ok, as a new run`,
    )
    .addOption(new Option("--executor <executor>", "with --state: where the retry runs").choices(["batch", "local"]).default("batch"))
    .option("--processor <command>", "with --state and the local executor: processor command")
    .option("--parallel <n>", "with --state and the local executor: partitions at once (default 2)")
    .option("--partition-size <n>", `with --state: most repositories per partition (default ${DEFAULTS.partitionSize})`)
    .option("--run-id <id>", "with --state: the retry run's id (default <run-id>-retry-<UTC time>)")
    .option("--wait", "with --state on AWS Batch: wait until every partition finished")
    .action(context.action((target: string, flags: RetryFlags) => retryCommand(target, flags, io)));
}
