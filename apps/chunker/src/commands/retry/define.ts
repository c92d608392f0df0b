// The flags of `retry` only: its implementation (./command.js and the libraries it needs) is loaded when it runs,
// so `--help` loads no AWS SDK, chart library or metrics library (docs/benchmarks.md).
import { Option, type Command } from "commander";
import { CHUNKER_ENV } from "@mass-ingest/contract/env";
import type { CliContext } from "@mass-ingest/core";
import type { Io } from "../../io.js";
import { FLAG_DEFAULTS as D } from "../flag-defaults.js";
import type { RetryFlags } from "./command.js";

export function defineRetry(program: Command, context: CliContext, io: Io): void {
  program
    .command("retry")
    .description("Submit only the failed partitions of a run again, as one array job linked to the run.")
    .argument("<target>", "job id, run id or latest (latest: from the state store)")
    .option("--job-queue <queue>", `queue (env ${CHUNKER_ENV.jobQueue.name}; default: the run's queue)`)
    .option("--job-definition <def>", "job definition (default: the run's)")
    .option("--job-name <name>", `job name prefix of the run (env ${CHUNKER_ENV.jobName.name}, default ${D.jobName})`)
    .option("--dry-run", "print what would be submitted")
    .option("--json", "print the result as JSON")
    .option(
      "--state <location>",
      `the state store (env ${CHUNKER_ENV.stateUrl.name}; default <DATA_DIR>/state unless a job id or --job-queue names a Batch run): retry only the repositories that did not finish ok, as a new run`,
    )
    .addOption(new Option("--executor <executor>", "with --state: where the retry runs").choices(["batch", "local"]).default(D.executor))
    .option("--processor <command>", "with --state and the local executor: processor command")
    .option("--parallel <n>", `with --state and the local executor: partitions at once (default ${D.parallel})`)
    .option("--partition-size <n>", `with --state: most repositories per partition (default ${D.partitionSize})`)
    .option("--run-id <id>", "with --state: the retry run's id (default <run-id>-retry-<UTC time>)")
    .option("--wait", "with --state on AWS Batch: wait until every partition finished")
    .option(
      "--large-job-definition <def>",
      `with --state on AWS Batch: the larger processor job definition the repositories that failed for memory retry on, as a run of their own (env ${CHUNKER_ENV.largeJobDefinition.name})`,
    )
    .action(context.action(async (target: string, flags: RetryFlags) => (await import("./command.js")).retryCommand(target, flags, io)));
}
