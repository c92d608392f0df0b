import { Command, InvalidArgumentError, Option } from "commander";
import { PROCESSOR_BIN } from "@mass-ingest/contract";
import { DEFAULTS, envHelp, PROCESSOR_ENV } from "@mass-ingest/contract/env";
import { parseDuration } from "@mass-ingest/core";
import { addEnvFlags, nonNegative, positive, type EnvFlags } from "./env-flags.js";

/**
 * The flags as commander parses them: the job contract's (numbers use 0 for "not set", as in the contract), the
 * worker's own, and the environment overrides of ENV_FLAGS (their types generated from that table).
 */
export interface ProcessorFlags extends Omit<EnvFlags, "state"> {
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
  organization?: string;
  /** --json forces JSON logs; --no-progress disables the bar. */
  json: boolean;
  progress: boolean;
}

const durationArg = (name: string) => (value: string) => {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`${name} must be a duration like 30s, 45m, 2h or 7d (0 allowed), got "${value}".`);
  return ms;
};

/**
 * The commander program: exactly the job contract's flags plus the worker flags and configuration overrides.
 * `action` gets the csv argument (undefined: the workspace's repos.csv) and the flags.
 */
export function createProgram(
  io: { out: (s: string) => void; err: (s: string) => void },
  action: (csv: string | undefined, flags: ProcessorFlags) => Promise<void>,
): Command {
  const program = new Command(PROCESSOR_BIN)
    .description(
      "Ingest a range of repos.csv with the Moderne CLI: sync, build, publish, upload logs. Configuration comes from the environment (PUBLISH_URL, ...); flags override it.",
    )
    .argument("[csv]", "repos.csv: a path, s3://bucket/key or http(s):// URL (default: the workspace's repos.csv)")
    .option("--start <row>", "first row, 1-based inclusive (0 = not set)", nonNegative("--start"), 0)
    .option("--end <row>", "last row, 1-based inclusive (0 = not set)", nonNegative("--end"), 0)
    .option("-o, --organization <org>", "only rows whose org columns include ORG")
    .option("--partition-size <n>", "rows per partition of the plan (array jobs)", positive("--partition-size"), DEFAULTS.partitionSize)
    .option("--row-count <n>", "rows the csv had when planned; checked when set (0 = not set)", nonNegative("--row-count"), 0)
    .option("--run-id <id>", "run id tying the jobs of one run together")
    .option("--partitions <list>", 'partition numbers of the array children ("3,7,12") or "all"', "all")
    .option(
      "--plan <location>",
      'the run\'s manifest (path or s3:// URL): the array child runs the rows planned for its partition ("none": rows from --start/--end/--partitions)',
      "none",
    );
  // The environment overrides (after --plan, before --no-state: commander defaults `state` to true for a lone --no-state).
  return addEnvFlags(program)
    .option("--no-state", "no state store: build every row")
    .option("--full", "with a state store: build every row (the state is still updated; an unreadable state is replaced)")
    .option(
      "--max-age <duration>",
      "with a state store: rebuild what was built longer ago (default 7d; 0 rebuilds everything)",
      durationArg("--max-age"),
    )
    .addOption(new Option("--json", "JSON log lines even on a TTY").default(false))
    .option("--no-progress", "no progress bar")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError(false)
    .addHelpText("after", `\n${envHelp("Environment (flags override it)", PROCESSOR_ENV)}\n`)
    .action((csv: string | undefined, flags: ProcessorFlags) => action(csv, flags));
}
