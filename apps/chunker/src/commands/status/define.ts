// The flags of `status` only: its implementation (./command.js and the libraries it needs) is loaded when it runs,
// so `--help` loads no AWS SDK, chart library or metrics library (docs/benchmarks.md).
import { type Command } from "commander";
import { CHUNKER_ENV } from "@mass-ingest/contract/env";
import type { CliContext } from "@mass-ingest/core";
import type { Io } from "../../io.js";
import { FLAG_DEFAULTS as D } from "../flag-defaults.js";
import type { StatusFlags } from "./command.js";

export function defineStatus(program: Command, context: CliContext, io: Io): void {
  program
    .command("status")
    .description(
      "Counts by status, failed partitions or repositories with their cause; exit 1 if any failed, the run did not finish or never ran.",
    )
    .argument("<target>", "job id, run id, latest or all (latest and all: from the state store)")
    .option(
      "--state <location>",
      `the state store (env ${CHUNKER_ENV.stateUrl.name}; default <DATA_DIR>/state unless a job id or --job-queue names a Batch run): per run ok / failed / timed out / unchanged / not started`,
    )
    .option("--job-queue <queue>", `queue of the run (env ${CHUNKER_ENV.jobQueue.name}; needed for a run id)`)
    .option("--job-name <name>", `job name prefix of the run (env ${CHUNKER_ENV.jobName.name}, default ${D.jobName})`)
    .option("--wait", "poll until every partition finished")
    .option("--interval <seconds>", `poll interval (default ${D.interval})`)
    .option("--json", "print the status as JSON")
    .option(
      "--close",
      "close a run that will never finish (state store only; a run id or latest): its planned repositories without a result are recorded as never reached (not-started) and the run stops counting as still going",
    )
    .option("--reason <text>", "with --close: why, kept in the run's closed record")
    .action(context.action(async (target: string, flags: StatusFlags) => (await import("./command.js")).statusCommand(target, flags, io)));
}
