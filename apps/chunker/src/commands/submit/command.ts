import { Option, type Command } from "commander";
import { CHUNKER_ENV, DEFAULTS } from "@mass-ingest/contract";
import type { CliContext } from "@mass-ingest/core";
import type { Io } from "../../io.js";
import { batchSubmit } from "./batch-submit.js";
import { batchDryRun, localDryRun } from "./dry-run.js";
import { localRun } from "./local-run.js";
import { readPlan } from "./read-plan.js";
import { submitSettings, type SubmitFlags } from "./settings.js";

/** `submit <csv>`: settings, then the plan, then one of local run, dry run or Batch submit. */
export async function submitCommand(csv: string, flags: SubmitFlags, io: Io): Promise<number> {
  const settings = submitSettings(csv, flags, io.env);
  const csvPlan = await readPlan(settings, io);
  if (settings.executor === "local") return settings.dryRun ? localDryRun(settings, csvPlan, io) : localRun(settings, csvPlan, io);
  return settings.dryRun ? batchDryRun(settings, csvPlan, io) : batchSubmit(settings, csvPlan, io);
}

const env = CHUNKER_ENV;

export function defineSubmit(program: Command, context: CliContext, io: Io): void {
  program
    .command("submit")
    .description("Plan <csv> (path, s3:// or http(s)://) and submit it as AWS Batch array jobs (or per partition, or locally).")
    .argument("<csv>", "repos.csv location")
    .option("--partition-size <n>", `rows per partition (env ${env.partitionSize.name}, default ${DEFAULTS.partitionSize})`)
    .option("--job-queue <queue>", `AWS Batch job queue (env ${env.jobQueue.name})`)
    .option("--job-definition <def>", `processor job definition: name, name:revision or ARN (env ${env.jobDefinition.name})`)
    .option("--job-name <name>", `job name prefix (env ${env.jobName.name}, default ${DEFAULTS.jobName})`)
    .option("--run-id <id>", `run id for job names and tags (env ${env.runId.name}, default the UTC time); same id again submits nothing`)
    .option("--dry-run", "print the plan and the API calls it would make; submit nothing")
    .option("--strict", "exit 2 and submit nothing if any row is invalid, listing every problem (default: invalid rows are logged and the processors skip them)")
    .option("--per-partition", "one job per partition with start/end parameters instead of array jobs")
    .option("--wait", "wait until every partition finished; exit 1 if any failed")
    .addOption(new Option("--executor <executor>", "where partitions run").choices(["batch", "local"]).default("batch"))
    .option("--parallel <n>", "local executor: partitions at once (default 2)")
    .option("--processor <command>", "local executor: processor command (default mass-ingest-processor on PATH)")
    .option("--child-csv <location>", "csv location the processors read (default: <csv>)")
    .option("--concurrency <n>", "per-partition mode: parallel SubmitJob calls (default 8)")
    .option("--interval <seconds>", "--wait poll interval (default 30)")
    .option("--no-check-secrets", "skip the check that every secret of the job definition exists")
    .option("--json", "print the result as JSON")
    .action(context.action((csv: string, flags: SubmitFlags) => submitCommand(csv, flags, io)));
}
