import { Command, InvalidArgumentError, Option } from "commander";
import { PROCESSOR_BIN } from "@mass-ingest/batch";

/** Parsed command line. Numbers use 0 for "not set", as in the job contract. */
export interface ProcessorArgs {
  csv?: string;
  start: number;
  end: number;
  partitionSize: number;
  rowCount: number;
  runId?: string;
  partitions: string;
  /** BUILD_TIMEOUT override, seconds. */
  timeout?: number;
  organization?: string;
  dataDir?: string;
  batchSize?: number;
  publishUrl?: string;
  publishUser?: string;
  caFile?: string;
  insecure: boolean;
  modCli?: string;
  mavenRepository?: string;
  syncConcurrency?: number;
  buildConcurrency?: number;
  publishConcurrency?: number;
  maxPending?: number;
  /** Port for `mod monitor` (Prometheus metrics of the CLI) during the run. */
  monitorPort?: number;
  /** --json forces JSON logs; --no-progress disables the bar. */
  json: boolean;
  progress: boolean;
}

const nonNegative = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number >= 0, got "${value}".`);
  return Number(value);
};
const positive = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError(`${name} must be a whole number >= 1, got "${value}".`);
  return Number(value);
};

/** The commander program: exactly the job contract's flags plus today's worker flags and config overrides. */
export function createProgram(io: { out: (s: string) => void; err: (s: string) => void } = { out: () => {}, err: () => {} }): Command {
  return new Command(PROCESSOR_BIN)
    .description("Ingest a range of repos.csv with the Moderne CLI: sync, build, publish, upload logs. Configuration comes from the environment (PUBLISH_URL, ...); flags override it.")
    .argument("[csv]", "repos.csv: a path, s3://bucket/key or http(s):// URL (default: the workspace's repos.csv)")
    .option("--start <row>", "first row, 1-based inclusive (0 = not set)", nonNegative("--start"), 0)
    .option("--end <row>", "last row, 1-based inclusive (0 = not set)", nonNegative("--end"), 0)
    .option("--timeout <seconds>", "build timeout in seconds (BUILD_TIMEOUT, default 2700)", positive("--timeout"))
    .option("-o, --organization <org>", "only rows whose org columns include ORG")
    .option("--partition-size <n>", "rows per partition of the plan (array jobs)", positive("--partition-size"), 50)
    .option("--row-count <n>", "rows the csv had when planned; checked when set (0 = not set)", nonNegative("--row-count"), 0)
    .option("--run-id <id>", "run id tying the jobs of one run together")
    .option("--partitions <list>", 'partition numbers of the array children ("3,7,12") or "all"', "all")
    .option("--data-dir <dir>", "work directory (DATA_DIR; default .data under the workspace)")
    .option("--batch-size <n>", "repositories per mod call (BATCH_SIZE, default 1)", positive("--batch-size"))
    .option("--publish-url <url>", "artifact repository for LSTs and logs (PUBLISH_URL)")
    .option("--publish-user <user>", "user for the artifact repository (PUBLISH_USER); the password only from PUBLISH_PASSWORD")
    .option("--ca-file <pem>", "extra CA bundle for HTTPS log uploads (PUBLISH_CA_FILE)")
    .option("--insecure", "do not verify TLS certificates of log uploads (PUBLISH_INSECURE=true)", false)
    .option("--mod-cli <path>", "the Moderne CLI executable (MOD_CLI; default `mod` on PATH, else modw)")
    .option("--maven-repository <url>", "Maven repository to fetch modw from (MOD_MAVEN_REPOSITORY; default Maven Central)")
    .option("--sync-concurrency <n>", "parallel syncs (SYNC_CONCURRENCY, default 2)", positive("--sync-concurrency"))
    .option("--build-concurrency <n>", "parallel builds (BUILD_CONCURRENCY, default 2)", positive("--build-concurrency"))
    .option("--publish-concurrency <n>", "parallel publishes (PUBLISH_CONCURRENCY, default 2)", positive("--publish-concurrency"))
    .option("--max-pending <n>", "synced groups waiting for a build slot (MAX_PENDING, default 2)", positive("--max-pending"))
    .option("--monitor-port <port>", "run `mod monitor --port PORT` during the run (MOD_MONITOR_PORT)", positive("--monitor-port"))
    .addOption(new Option("--json", "JSON log lines even on a TTY").default(false))
    .option("--no-progress", "no progress bar")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError(false);
}

/** Parse argv (without node and script). Throws commander's CommanderError on bad input or --help/--version. */
export function parseArgs(argv: readonly string[], program: Command = createProgram()): ProcessorArgs {
  program.parse([...argv], { from: "user" });
  const o = program.opts<Omit<ProcessorArgs, "csv">>();
  const args: ProcessorArgs = { ...o };
  const csv = program.args[0];
  if (csv !== undefined) args.csv = csv;
  return args;
}
