import { Command } from "commander";
import { CHUNKER_BIN } from "@mass-ingest/contract";
import type { CliContext } from "@mass-ingest/core";
import { environmentHelp } from "./commands/environment.js";
import { COMMANDS } from "./commands/index.js";
import type { Io } from "./io.js";

/** The commander program: the chunker's description and every command of the table. */
export function chunkerProgram(context: CliContext, io: Io): Command {
  const program = new Command(CHUNKER_BIN)
    .description("Plan repos.csv into partitions and submit them to AWS Batch (or run them locally).")
    .showHelpAfterError()
    .addHelpText("after", environmentHelp());
  for (const define of COMMANDS) define(program, context, io);
  return program;
}
