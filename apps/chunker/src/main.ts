import { Command, Option } from "commander";
import { BatchError, CHUNKER_BIN, createLogger } from "@mass-ingest/batch";
import { retryCommand, statusCommand, submitCommand, type Io } from "./commands.js";

/** Exit code for an error: 2 for bad input / configuration, 1 otherwise. */
function exitCodeOf(error: unknown): number {
  if (error instanceof BatchError) return error.exitCode;
  if (error && typeof error === "object" && (error as { name?: string }).name === "PartitionError") return 2;
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const logger = createLogger({ name: "chunker" });
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, `${signal}: stopping`);
    controller.abort(signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const io: Io = { stdout: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`), logger, signal: controller.signal };
  let code = 0;
  const program = new Command(CHUNKER_BIN)
    .description("Plan repos.csv into partitions and submit them to AWS Batch (or run them locally).")
    .showHelpAfterError()
    .exitOverride();
  program
    .command("submit")
    .description("Plan <csv> (path, s3:// or http(s)://) and submit it as AWS Batch array jobs (or per partition, or locally).")
    .argument("<csv>", "repos.csv location")
    .option("--partition-size <n>", "rows per partition (env PARTITION_SIZE, default 50)")
    .option("--job-queue <queue>", "AWS Batch job queue (env JOB_QUEUE)")
    .option("--job-definition <def>", "processor job definition: name, name:revision or ARN (env JOB_DEFINITION)")
    .option("--job-name <name>", "job name prefix (env JOB_NAME, default mass-ingest)")
    .option("--run-id <id>", "run id for job names and tags (env RUN_ID, default the UTC time); same id again submits nothing")
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
    .action(async (csv: string, flags) => {
      code = await submitCommand(csv, flags, io);
    });
  program
    .command("status")
    .description("Counts by status, failed partitions with reason, exit code and log stream; exit 1 if any failed.")
    .argument("<target>", "job id or run id")
    .option("--job-queue <queue>", "queue of the run (env JOB_QUEUE; needed for a run id)")
    .option("--job-name <name>", "job name prefix of the run (env JOB_NAME, default mass-ingest)")
    .option("--wait", "poll until every partition finished")
    .option("--interval <seconds>", "poll interval (default 30)")
    .option("--json", "print the status as JSON")
    .action(async (target: string, flags) => {
      code = await statusCommand(target, flags, io);
    });
  program
    .command("retry")
    .description("Submit only the failed partitions of a run again, as one array job linked to the run.")
    .argument("<target>", "job id or run id")
    .option("--job-queue <queue>", "queue (env JOB_QUEUE; default: the run's queue)")
    .option("--job-definition <def>", "job definition (default: the run's)")
    .option("--job-name <name>", "job name prefix of the run (env JOB_NAME, default mass-ingest)")
    .option("--dry-run", "print what would be submitted")
    .option("--json", "print the result as JSON")
    .action(async (target: string, flags) => {
      code = await retryCommand(target, flags, io);
    });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message?: string; hint?: string };
    if (typeof e.code === "string" && e.code.startsWith("commander.")) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      return 2;
    }
    if (controller.signal.aborted) return controller.signal.reason === "SIGTERM" ? 143 : 130;
    const exit = exitCodeOf(error);
    logger.error({ err: error, code: e.code }, e.message ?? String(error));
    process.stderr.write(`${CHUNKER_BIN}: ${e.code && exit === 2 ? `[${e.code}] ` : ""}${e.message ?? String(error)}\n${e.hint ? `  hint: ${e.hint}\n` : ""}`);
    return exit;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
