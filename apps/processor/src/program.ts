import { Command, InvalidArgumentError, Option } from "commander";
import { BUILD_MEMORY_MIB, DEFAULTS, PROCESSOR_BIN, PROCESSOR_ENV } from "@mass-ingest/contract";
import { parseDuration } from "@mass-ingest/core";

/** The flags as commander parses them. Numbers use 0 for "not set", as in the job contract. */
export interface ProcessorFlags {
  start: number;
  end: number;
  partitionSize: number;
  rowCount: number;
  runId?: string;
  partitions: string;
  /** The run's manifest in the state store ("none": rows from start/end/partitions). */
  plan: string;
  /** The state store for a run of the processor alone (`--state`); false with `--no-state`. */
  state?: string | false;
  /** `--full`: with a state store, build every row (the state is still updated). */
  full?: boolean;
  /** `--max-age`: with a state store, rebuild what was built longer ago (ms; 0 rebuilds everything). */
  maxAge?: number;
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
  /** Port for this run's own Prometheus metrics. */
  metricsPort?: number;
  /** --json forces JSON logs; --no-progress disables the bar. */
  json: boolean;
  progress: boolean;
}

const nonNegative = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number >= 0, got "${value}".`);
  return Number(value);
};
const durationArg = (name: string) => (value: string) => {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`${name} must be a duration like 30s, 45m, 2h or 7d (0 allowed), got "${value}".`);
  return ms;
};
const positive = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError(`${name} must be a whole number >= 1, got "${value}".`);
  return Number(value);
};

const E = PROCESSOR_ENV;
const c = DEFAULTS.concurrency;

/**
 * The commander program: exactly the job contract's flags plus the worker flags and configuration overrides.
 * `action` gets the csv argument (undefined: the workspace's repos.csv) and the flags.
 */
export function createProgram(
  io: { out: (s: string) => void; err: (s: string) => void },
  action: (csv: string | undefined, flags: ProcessorFlags) => Promise<void>,
): Command {
  return new Command(PROCESSOR_BIN)
    .description(
      "Ingest a range of repos.csv with the Moderne CLI: sync, build, publish, upload logs. Configuration comes from the environment (PUBLISH_URL, ...); flags override it.",
    )
    .argument("[csv]", "repos.csv: a path, s3://bucket/key or http(s):// URL (default: the workspace's repos.csv)")
    .option("--start <row>", "first row, 1-based inclusive (0 = not set)", nonNegative("--start"), 0)
    .option("--end <row>", "last row, 1-based inclusive (0 = not set)", nonNegative("--end"), 0)
    .option(
      "--timeout <seconds>",
      `build timeout in seconds (${E.buildTimeout.name}, default ${DEFAULTS.buildTimeoutSeconds})`,
      positive("--timeout"),
    )
    .option("-o, --organization <org>", "only rows whose org columns include ORG")
    .option("--partition-size <n>", "rows per partition of the plan (array jobs)", positive("--partition-size"), DEFAULTS.partitionSize)
    .option("--row-count <n>", "rows the csv had when planned; checked when set (0 = not set)", nonNegative("--row-count"), 0)
    .option("--run-id <id>", "run id tying the jobs of one run together")
    .option("--partitions <list>", 'partition numbers of the array children ("3,7,12") or "all"', "all")
    .option(
      "--plan <location>",
      'the run\'s manifest (path or s3:// URL): the array child runs the rows planned for its partition ("none": rows from --start/--end/--partitions)',
      "none",
    )
    .option(
      "--state <location>",
      `state store for a run of the processor alone on the whole csv (${E.stateUrl.name}; default <DATA_DIR>/state): build only what changed`,
    )
    .option("--no-state", "no state store: build every row")
    .option("--full", "with a state store: build every row (the state is still updated; an unreadable state is replaced)")
    .option(
      "--max-age <duration>",
      "with a state store: rebuild what was built longer ago (default 7d; 0 rebuilds everything)",
      durationArg("--max-age"),
    )
    .option("--data-dir <dir>", `work directory (${E.dataDir.name}; default .data under the workspace)`)
    .option("--batch-size <n>", `repositories per mod call (${E.batchSize.name}, default ${DEFAULTS.batchSize})`, positive("--batch-size"))
    .option("--publish-url <url>", `artifact repository for LSTs and logs (${E.publishUrl.name})`)
    .option(
      "--publish-user <user>",
      `user for the artifact repository (${E.publishUser.name}); the password only from ${E.publishPassword.name}`,
    )
    .option("--ca-file <pem>", `extra CA bundle for HTTPS log uploads (${E.caFile.name})`)
    .option("--insecure", `do not verify TLS certificates of log uploads (${E.insecure.name}=true)`, false)
    .option("--mod-cli <path>", `the Moderne CLI executable (${E.modCli.name}; default \`mod\` on PATH, else modw)`)
    .option("--maven-repository <url>", `Maven repository to fetch modw from (${E.mavenRepository.name}: cgp (default), central or a URL)`)
    .option("--sync-concurrency <n>", `parallel syncs (${E.syncConcurrency.name}, default ${c.sync})`, positive("--sync-concurrency"))
    .option(
      "--build-concurrency <n>",
      `parallel builds (${E.buildConcurrency.name}; default one per ${BUILD_MEMORY_MIB / 1024} GiB of the container's memory, or per 2 x -Xmx of ${E.modJavaOptions.name} when more, at least 1: the AWS Batch job definition sets it so from processor.memoryMiB)`,
      positive("--build-concurrency"),
    )
    .option(
      "--publish-concurrency <n>",
      `parallel publishes (${E.publishConcurrency.name}, default ${c.publish})`,
      positive("--publish-concurrency"),
    )
    .option(
      "--max-pending <n>",
      `synced groups waiting for a build slot (${E.maxPending.name}, default ${c.maxPending})`,
      positive("--max-pending"),
    )
    .option(
      "--metrics-port <port>",
      `serve this run's Prometheus metrics on PORT while it runs (${E.metricsPort.name}); in AWS Batch the run writes CloudWatch embedded-metric lines on stdout`,
      positive("--metrics-port"),
    )
    .option("--monitor-port <port>", `run \`mod monitor --port PORT\` during the run (${E.monitorPort.name})`, positive("--monitor-port"))
    .addOption(new Option("--json", "JSON log lines even on a TTY").default(false))
    .option("--no-progress", "no progress bar")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError(false)
    .action((csv: string | undefined, flags: ProcessorFlags) => action(csv, flags));
}
