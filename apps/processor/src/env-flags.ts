import { type Command, InvalidArgumentError } from "commander";
import { envDefaultText, PROCESSOR_ENV, type EnvVar } from "@mass-ingest/contract/env";

/** A whole number >= 0 (the job contract's "0 = not set" numbers). */
export const nonNegative = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number >= 0, got "${value}".`);
  return Number(value);
};
/** A whole number >= 1. */
export const positive = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError(`${name} must be a whole number >= 1, got "${value}".`);
  return Number(value);
};

const E = PROCESSOR_ENV;

/**
 * The flags that override one environment variable each: the flag, what it does, and the contract row it
 * overrides. Their help (variable name and default) and their type in ProcessorFlags are generated from here.
 * `key` is commander's name for the flag (test/env-flags.test.ts checks it).
 */
export const ENV_FLAGS = [
  { key: "timeout", flags: "--timeout <seconds>", text: "build timeout in seconds", row: E.buildTimeout, parse: positive("--timeout") },
  { key: "state", flags: "--state <location>", text: "state store for a run of the processor alone on the whole csv", row: E.stateUrl },
  { key: "dataDir", flags: "--data-dir <dir>", text: "work directory", row: E.dataDir },
  { key: "batchSize", flags: "--batch-size <n>", text: "repositories per mod call", row: E.batchSize, parse: positive("--batch-size") },
  { key: "publishUrl", flags: "--publish-url <url>", text: "artifact repository for LSTs and logs", row: E.publishUrl },
  {
    key: "publishUser",
    flags: "--publish-user <user>",
    text: `user for the artifact repository (the password only from ${E.publishPassword.name})`,
    row: E.publishUser,
  },
  { key: "caFile", flags: "--ca-file <pem>", text: "extra CA bundle for HTTPS log uploads", row: E.caFile },
  { key: "insecure", flags: "--insecure", text: "do not verify TLS certificates of log uploads", row: E.insecure },
  { key: "modCli", flags: "--mod-cli <path>", text: "the Moderne CLI executable", row: E.modCli },
  { key: "mavenRepository", flags: "--maven-repository <url>", text: "Maven repository to fetch modw from", row: E.mavenRepository },
  {
    key: "syncConcurrency",
    flags: "--sync-concurrency <n>",
    text: "parallel syncs",
    row: E.syncConcurrency,
    parse: positive("--sync-concurrency"),
  },
  {
    key: "buildConcurrency",
    flags: "--build-concurrency <n>",
    text: "parallel builds",
    row: E.buildConcurrency,
    parse: positive("--build-concurrency"),
  },
  {
    key: "publishConcurrency",
    flags: "--publish-concurrency <n>",
    text: "parallel publishes",
    row: E.publishConcurrency,
    parse: positive("--publish-concurrency"),
  },
  {
    key: "maxPending",
    flags: "--max-pending <n>",
    text: "synced groups waiting for a build slot",
    row: E.maxPending,
    parse: positive("--max-pending"),
  },
  {
    key: "metricsPort",
    flags: "--metrics-port <port>",
    text: "serve this run's Prometheus metrics on PORT while it runs (in AWS Batch the run writes CloudWatch embedded-metric lines on stdout)",
    row: E.metricsPort,
    parse: positive("--metrics-port"),
  },
  {
    key: "monitorPort",
    flags: "--monitor-port <port>",
    text: "run `mod monitor --port PORT` during the run",
    row: E.monitorPort,
    parse: positive("--monitor-port"),
  },
] as const satisfies ReadonlyArray<{ key: string; flags: string; text: string; row: EnvVar; parse?: (value: string) => unknown }>;

type EnvFlag = (typeof ENV_FLAGS)[number];
/** A flag's value: what its parser returns, a string for a flag with an argument, else a boolean. */
type ValueOf<F extends EnvFlag> = F extends { parse: (value: string) => infer T }
  ? T
  : F["flags"] extends `${string}<${string}>`
    ? string
    : boolean;

/** The flags ENV_FLAGS declares, as commander parses them (unset: undefined). */
export type EnvFlags = { [F in EnvFlag as F["key"]]?: ValueOf<F> };

/** A flag's help: what it does, then the variable it overrides and that variable's default from the contract. */
export function envFlagHelp(flag: Pick<EnvFlag, "text" | "row">): string {
  const fallback = envDefaultText(flag.row);
  return `${flag.text} (${flag.row.name}${fallback === undefined ? "" : `, default ${fallback}`})`;
}

/** Adds every flag of ENV_FLAGS to `program`. */
export function addEnvFlags(program: Command): Command {
  for (const flag of ENV_FLAGS as readonly EnvFlag[]) {
    if ("parse" in flag) program.option(flag.flags, envFlagHelp(flag), flag.parse);
    else program.option(flag.flags, envFlagHelp(flag));
  }
  return program;
}
