// The "Environment:" block of `--help`, generated from the contract's table: imports the tables only (fast --help).
import { CHUNKER_ENV, envHelp, PROCESSOR_ENV, type EnvVar } from "@mass-ingest/contract/env";
import { FLAG_DEFAULTS } from "./flag-defaults.js";

/**
 * Every variable the chunker reads: its own table (CHUNKER_ENV), and the two processor variables it also reads,
 * with what they set for the chunker.
 */
export const CHUNKER_HELP_ENV: Readonly<Record<string, EnvVar>> = {
  ...CHUNKER_ENV,
  dataDir: {
    ...PROCESSOR_ENV.dataDir,
    description: "work directory: a local run's state store defaults to <DATA_DIR>/state",
  },
  modCli: {
    ...PROCESSOR_ENV.modCli,
    description: "the Moderne CLI whose version goes into the fingerprints (with a state store; --mod-cli)",
    derivedDefault: `${FLAG_DEFAULTS.modCli} on PATH`,
  },
};

/** The `--help` block that lists the variables the chunker reads, what each sets and its default; a flag wins over its variable. */
export function environmentHelp(): string {
  return `\n${envHelp("Environment", CHUNKER_HELP_ENV)}\n  A flag wins over its variable.\n`;
}
