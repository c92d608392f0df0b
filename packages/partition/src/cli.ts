#!/usr/bin/env node
/**
 * mass-ingest-partition: validate a repos.csv and print its partition plan, for other tooling.
 * Exit codes: 0 ok, 2 invalid input (file-level problems; any invalid row with --strict), 1 unexpected failure,
 * 130/143 interrupted.
 */
import { MassIngestError, runCli } from "@mass-ingest/core";
import { buildProgram } from "./cli/program.js";

/** `error [CODE]: message` and `hint: ...` for our own errors; the stack of anything unexpected. */
function printError(error: unknown): void {
  if (error instanceof MassIngestError) {
    process.stderr.write(`error [${error.code}]: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return;
  }
  process.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

runCli({ argv: process.argv.slice(2), program: buildProgram, onError: printError }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`unexpected error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
