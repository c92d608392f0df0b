import type { Command } from "commander";
import type { CliContext } from "@mass-ingest/core";
import type { Io } from "../io.js";
import { defineRelease } from "./release/command.js";
import { defineReport } from "./report/command.js";
import { defineRetry } from "./retry/command.js";
import { defineStatus } from "./status/command.js";
import { defineSubmit } from "./submit/command.js";

/** Adds one command (its flags and its action) to the program. */
export type DefineCommand = (program: Command, context: CliContext, io: Io) => void;

/** The command table: one folder per command under src/commands/. */
export const COMMANDS: readonly DefineCommand[] = [defineSubmit, defineStatus, defineRetry, defineReport, defineRelease];
