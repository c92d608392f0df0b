#!/usr/bin/env node
/**
 * mass-ingest-partition: validate a repos.csv and print its partition plan, for other tooling.
 * Exit codes: 0 ok, 2 invalid input (file-level problems; any invalid row with --strict), 1 unexpected failure.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { PartitionError, formatIssue } from "./errors.js";
import { DEFAULT_PARTITION_SIZE, planByCount, planBySize } from "./plan.js";
import { validateRepos } from "./read.js";
import type { ValidationIssue, ValidationResult } from "./types.js";

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

function printIssues(title: string, issues: ValidationIssue[], limit = 50): void {
  if (issues.length === 0) return;
  process.stderr.write(`${title}:\n`);
  for (const issue of issues.slice(0, limit)) process.stderr.write(`  ${formatIssue(issue)}\n`);
  if (issues.length > limit) process.stderr.write(`  ... and ${issues.length - limit} more (use --json for all)\n`);
}

async function check(csv: string, opts: CommonOptions): Promise<ValidationResult> {
  // Always read leniently so every problem is collected; --strict decides the exit code.
  return validateRepos(csv, { mode: "lenient", allowFileUrls: opts.allowFileUrls === true });
}

function invalidRowCount(result: ValidationResult): number {
  return new Set(result.issues.map((i) => i.row)).size;
}

function reportText(csv: string, result: ValidationResult, strict: boolean): void {
  const invalid = invalidRowCount(result);
  const valid = result.rowCount - invalid - result.duplicates.length;
  printIssues(strict ? "Invalid rows" : "Invalid rows (left out)", result.issues);
  printIssues("Duplicate rows (left out, first occurrence kept)", result.duplicates);
  if (result.unknownColumns.length > 0) {
    process.stderr.write(`Unknown columns (kept as extra values): ${result.unknownColumns.join(", ")}\n`);
  }
  process.stderr.write(
    `${csv}: ${result.rowCount} rows, ${valid} valid, ${invalid} invalid, ${result.duplicates.length} duplicate(s).\n`,
  );
  if (strict && invalid > 0) {
    process.stderr.write("Fix the rows listed above (or run without --strict to leave them out).\n");
  }
}

function failed(result: ValidationResult, strict: boolean): boolean {
  return strict && result.issues.length > 0;
}

/** What `validate` prints on stdout: "OK" | "VALID WITH PROBLEMS" | "INVALID". */
type Verdict = "OK" | "VALID WITH PROBLEMS" | "INVALID";

/**
 * The verdict line of `validate`: "OK" only when every row is valid and none repeats another; "INVALID" when
 * --strict fails; otherwise "VALID WITH PROBLEMS: ..." saying what will be left out.
 */
function verdictOf(result: ValidationResult, strict: boolean): { verdict: Verdict; line: string } {
  if (failed(result, strict)) return { verdict: "INVALID", line: "INVALID" };
  const invalid = invalidRowCount(result);
  const duplicates = result.duplicates.length;
  if (invalid === 0 && duplicates === 0) return { verdict: "OK", line: "OK" };
  const parts = [...(invalid > 0 ? [`${invalid} invalid row(s)`] : []), ...(duplicates > 0 ? [`${duplicates} duplicate row(s)`] : [])];
  const none = result.rowCount - invalid - duplicates === 0 ? "; no valid row remains" : "";
  return { verdict: "VALID WITH PROBLEMS", line: `VALID WITH PROBLEMS: ${parts.join(" and ")} will be left out${none}` };
}

/** Build the commander program; `setExit` receives the exit code. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("mass-ingest-partition")
    .description("Validate a Moderne repos.csv and split it into partitions (1-based inclusive row ranges).")
    .showHelpAfterError()
    .exitOverride();

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
    .action(async (csv: string, opts: CommonOptions) => {
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
      setExit(ok ? 0 : EXIT_INVALID);
    });

  program
    .command("plan")
    .description("Validate a repos.csv and print its partitions (row ranges for --start/--end or array jobs).")
    .argument("<csv>", "path of the repos.csv")
    .addOption(
      new Option("--size <n>", `rows per partition; all full except the last (default ${DEFAULT_PARTITION_SIZE})`)
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
    .action(async (csv: string, opts: CommonOptions & { size?: number; count?: number }) => {
      const strict = opts.strict === true;
      const result = await check(csv, opts);
      if (failed(result, strict)) {
        if (opts.json) process.stdout.write(`${JSON.stringify({ csv, ok: false, ...result }, null, 2)}\n`);
        else reportText(csv, result, strict);
        setExit(EXIT_INVALID);
        return;
      }
      const plan = opts.count !== undefined ? planByCount(result.rowCount, opts.count) : planBySize(result.rowCount, opts.size ?? DEFAULT_PARTITION_SIZE);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ csv, ok: true, ...plan, ...result }, null, 2)}\n`);
      } else {
        reportText(csv, result, strict);
        const how = plan.partitionSize !== undefined ? `of up to ${plan.partitionSize} rows` : "of near-equal size";
        process.stdout.write(`${plan.partitions.length} partition(s) ${how} for ${plan.rowCount} rows:\n`);
        for (const p of plan.partitions) process.stdout.write(`${p.partition}\t${p.start}-${p.end}\n`);
      }
      setExit(0);
    });

  return program;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return 0;
      return EXIT_INVALID; // commander already printed the usage error
    }
    if (err instanceof PartitionError) {
      process.stderr.write(`error [${err.code}]: ${err.message}\n`);
      if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
      return EXIT_INVALID;
    }
    process.stderr.write(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`unexpected error: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
