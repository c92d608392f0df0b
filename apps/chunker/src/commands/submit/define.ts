// The flags of `submit` only: its implementation (./command.js and the libraries it needs) is loaded when it runs,
// so `--help` loads no AWS SDK, chart library or metrics library (docs/benchmarks.md).
import { Option, type Command } from "commander";
import { CHUNKER_ENV, PROCESSOR_ENV } from "@mass-ingest/contract/env";
import type { CliContext } from "@mass-ingest/core";
import type { Io } from "../../io.js";
import { environmentHelp } from "../environment.js";
import { FLAG_DEFAULTS as D } from "../flag-defaults.js";
import type { SubmitFlags } from "./settings.js";

const env = CHUNKER_ENV;

export function defineSubmit(program: Command, context: CliContext, io: Io): void {
  program
    .command("submit")
    .description("Plan <csv> (path, s3:// or http(s)://) and submit it as AWS Batch array jobs (or per partition, or locally).")
    .argument("<csv>", "repos.csv location")
    .option("--partition-size <n>", `rows per partition (env ${env.partitionSize.name}, default ${D.partitionSize})`)
    .option("--job-queue <queue>", `AWS Batch job queue (env ${env.jobQueue.name})`)
    .option("--job-definition <def>", `processor job definition: name, name:revision or ARN (env ${env.jobDefinition.name})`)
    .option("--job-name <name>", `job name prefix (env ${env.jobName.name}, default ${D.jobName})`)
    .option("--run-id <id>", `run id for job names and tags (env ${env.runId.name}, default the UTC time); same id again submits nothing`)
    .option("--dry-run", "print the plan and the API calls it would make; submit nothing")
    .option(
      "--strict",
      "exit 2 and submit nothing if any row is invalid, listing every problem (default: invalid rows are logged and the processors skip them)",
    )
    .option("--per-partition", "one job per partition with start/end parameters instead of array jobs")
    .option("--wait", "wait until every partition finished; exit 1 if any failed")
    .addOption(new Option("--executor <executor>", "where partitions run").choices(["batch", "local"]).default(D.executor))
    .option("--parallel <n>", `local executor: partitions at once (default ${D.parallel})`)
    .option(
      "--processor <command>",
      "local executor: processor command (default: the workspace's apps/processor/dist/main.js, else mass-ingest-processor on PATH)",
    )
    .option("--child-csv <location>", "csv location the processors read (default: <csv>)")
    .option("--concurrency <n>", `per-partition mode: parallel SubmitJob calls (default ${D.concurrency})`)
    .option("--interval <seconds>", `--wait poll interval (default ${D.interval})`)
    .option("--no-check-secrets", "skip the check that every secret of the job definition exists")
    .option("--json", "print the result as JSON")
    .option(
      "--state <location>",
      `state store: a directory or s3://bucket/prefix (env ${env.stateUrl.name}; local executor default <DATA_DIR>/state): build only what changed`,
    )
    .option("--no-state", "no state store: build every row, partitions by row count (as without --state)")
    .option("--full", "with a state store: build every row (the state is still updated; an unreadable state is replaced)")
    .option("--max-age <duration>", `with a state store: rebuild what was built longer ago (default ${D.maxAge}; 0 rebuilds everything)`)
    .option(
      "--max-stale <n|auto|off>",
      "with a state store: at most n max-age rebuilds a night, oldest first (default auto: rows / max-age days; off: no cap)",
    )
    .option(
      "--fill-stale",
      "with a cap: top a quiet night up to it with the oldest builds older than half the max age (steady nights; the default)",
    )
    .option("--no-fill-stale", "with a cap: do not top quiet nights up (only cut peaks)")
    .option(
      "--drift-age <duration>",
      `with a state store: rebuild a not-reproducible build older than this without a new commit (default ${D.driftAge})`,
    )
    .option("--import-lock <file>", "with a state store: first seed the state from an existing repos-lock.csv (Moderne CLI)")
    .option("--time-budget <duration>", `with a state store: the most predicted time per partition (default ${D.timeBudget})`)
    .option("--ls-remote-concurrency <n>", `with a state store: parallel git ls-remote calls (default ${D.lsRemoteConcurrency})`)
    .option(
      "--ls-remote-timeout <duration>",
      `with a state store: kill one git ls-remote after this long (default ${D.lsRemoteTimeout}; the repository is built)`,
    )
    .option("--workers <n>", "with a state store: partitions that run at once, to balance the last round (default: --parallel locally)")
    .option(
      "--quarantine-after <n>",
      `with a state store: hold back a repository failing this many nights in a row (default ${D.quarantineAfter}; 0 never)`,
    )
    .option(
      "--quarantine-every <duration>",
      `with a state store: how often a held-back repository is still tried (default ${D.quarantineEvery})`,
    )
    .option(
      "--rollout-nights <n>",
      `with a state store: spread a fingerprint change over n nights after a canary (default ${D.rolloutNights}; 0 all at once)`,
    )
    .option(
      "--mod-cli <path>",
      `with a state store: the Moderne CLI whose version goes into the fingerprints (env ${PROCESSOR_ENV.modCli.name}, default ${D.modCli} on PATH)`,
    )
    .addHelpText("after", environmentHelp())
    .action(context.action(async (csv: string, flags: SubmitFlags) => (await import("./command.js")).submitCommand(csv, flags, io)));
}
