/** The partition CLI's commands: `validate` and `plan`. */
import { DEFAULTS } from "@mass-ingest/contract";
import type { CliContext } from "@mass-ingest/core";
import { Command, InvalidArgumentError, Option } from "commander";
import { planByCount, planBySize } from "../plan.js";
import { validateRepos } from "../read.js";
import type { ValidationResult } from "../types.js";
import { failed, reportText, verdictOf } from "./report.js";

/** Exit code for invalid input. */
const EXIT_INVALID = 2;

function positiveInt(value: string): number {
  if (!/^[0-9]+$/.test(value.trim()) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`expected a whole number >= 1, got "${value}".`);
  }
  return Number(value);
}

interface CommonOptions {
  strict?: boolean;
  allowFileUrls?: boolean;
  json?: boolean;
}

async function check(csv: string, opts: CommonOptions): Promise<ValidationResult> {
  // Always read leniently so every problem is collected; --strict decides the exit code.
  return validateRepos(csv, { mode: "lenient", allowFileUrls: opts.allowFileUrls === true });
}

async function validateCommand(csv: string, opts: CommonOptions): Promise<number> {
  const strict = opts.strict === true;
  const result = await check(csv, opts);
  const ok = !failed(result, strict);
  const { verdict, line } = verdictOf(result, strict);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ csv, ok, verdict, ...result }, null, 2)}\n`);
  } else {
    reportText(csv, result, strict);
    process.stdout.write(`${line}\n`);
  }
  return ok ? 0 : EXIT_INVALID;
}

async function planCommand(csv: string, opts: CommonOptions & { size?: number; count?: number }): Promise<number> {
  const strict = opts.strict === true;
  const result = await check(csv, opts);
  if (failed(result, strict)) {
    if (opts.json) process.stdout.write(`${JSON.stringify({ csv, ok: false, ...result }, null, 2)}\n`);
    else reportText(csv, result, strict);
    return EXIT_INVALID;
  }
  const plan =
    opts.count !== undefined ? planByCount(result.rowCount, opts.count) : planBySize(result.rowCount, opts.size ?? DEFAULTS.partitionSize);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ csv, ok: true, ...plan, ...result }, null, 2)}\n`);
    return 0;
  }
  reportText(csv, result, strict);
  const how = plan.partitionSize !== undefined ? `of up to ${plan.partitionSize} rows` : "of near-equal size";
  process.stdout.write(`${plan.partitions.length} partition(s) ${how} for ${plan.rowCount} rows:\n`);
  for (const p of plan.partitions) process.stdout.write(`${p.partition}\t${p.start}-${p.end}\n`);
  return 0;
}

/** Build the commander program; actions go through `context.action` so their number is the exit code. */
export function buildProgram(context: CliContext): Command {
  const program = new Command("mass-ingest-partition")
    .description("Validate a Moderne repos.csv and split it into partitions (1-based inclusive row ranges).")
    .showHelpAfterError();

  program
    .command("validate")
    .description("Check every row of a repos.csv; print problems with line, column, value and what to do.")
    .argument("<csv>", "path of the repos.csv")
    .option("--strict", "exit 2 if any row is invalid (default: report invalid rows, exit 0)")
    .option("--allow-file-urls", "accept file:// clone URLs (local use)")
    .option("--json", "print the result as JSON on stdout")
    .addHelpText(
      "after",
      "\nPrints on stdout: OK (every row valid, no duplicates), VALID WITH PROBLEMS: ... (invalid or duplicate rows\n" +
        "will be left out), or INVALID (--strict and a row is invalid).\n" +
        "Exit codes: 0 usable (OK or VALID WITH PROBLEMS), 2 invalid input.\nExample: mass-ingest-partition validate repos.csv --strict",
    )
    .action(context.action(validateCommand));

  program
    .command("plan")
    .description("Validate a repos.csv and print its partitions (row ranges for --start/--end or array jobs).")
    .argument("<csv>", "path of the repos.csv")
    .addOption(
      new Option("--size <n>", `rows per partition; all full except the last (default ${DEFAULTS.partitionSize})`)
        .argParser(positiveInt)
        .conflicts("count"),
    )
    .addOption(new Option("--count <n>", "number of partitions; sizes differ by at most one").argParser(positiveInt))
    .option("--strict", "exit 2 and plan nothing if any row is invalid (default: invalid rows are reported; processors skip them)")
    .option("--allow-file-urls", "accept file:// clone URLs (local use)")
    .option("--json", "print the plan as JSON on stdout")
    .addHelpText(
      "after",
      "\nRows are numbered from 1, header excluded; ranges are inclusive.\n" +
        "Exit codes: 0 planned, 2 invalid input.\n" +
        "Examples:\n  mass-ingest-partition plan repos.csv --size 50\n  mass-ingest-partition plan repos.csv --count 8 --json",
    )
    .action(context.action(planCommand));

  return program;
}
