import type { Command } from "commander";
import type { CliContext } from "@mass-ingest/core";
import type { Io } from "../io.js";
import { defineRelease } from "./release/define.js";
import { defineReport } from "./report/define.js";
import { defineRetry } from "./retry/define.js";
import { defineStatus } from "./status/define.js";
import { defineSubmit } from "./submit/define.js";

/** Adds one command (its flags and its action) to the program. */
export type DefineCommand = (program: Command, context: CliContext, io: Io) => void;

/** The command table: one folder per command under src/commands/ (define.ts: flags; command.ts: loaded when run). */
export const COMMANDS: readonly DefineCommand[] = [defineSubmit, defineStatus, defineRetry, defineReport, defineRelease];
