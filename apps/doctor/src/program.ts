import { Command, InvalidArgumentError, Option } from "commander";
import { DOCTOR_CHECK_IDS, DOCTOR_THRESHOLDS, envDefaultText, PROCESSOR_ENV } from "@mass-ingest/contract/env";

/** What `--help` and the flag parsers need from @mass-ingest/doctor, from the contract: `--help` loads no library. */
const CHECK_IDS: readonly string[] = DOCTOR_CHECK_IDS;
const DEFAULT_THRESHOLDS = DOCTOR_THRESHOLDS;

/**
 * The defaults `--help` states that the doctor library applies when a flag is not given, declared once for the
 * help (test/flag-defaults.test.ts: they are the library's, and each stated default is one of these).
 */
export const DOCTOR_FLAG_DEFAULTS = {
  /** `--jdk-root`: folders whose subfolders are JDKs. */
  jdkRoots: ["/usr/lib/jvm", "/opt/java"],
  /** `--timeout`: seconds one check may take. */
  timeoutSeconds: 60,
} as const;
const D = DOCTOR_FLAG_DEFAULTS;

/** The app's binary name. */
export const DOCTOR_BIN = "mass-ingest";

/** The `doctor` flags as commander parses them. */
export interface DoctorFlags {
  json: boolean;
  dataDir?: string;
  state?: string;
  jdkRoot?: string[];
  javaHome?: string[];
  diskWarnGib?: number;
  diskFailGib?: number;
  memoryWarnGib?: number;
  memoryFailGib?: number;
  only?: string[];
  timeout?: number;
  allowFileUrls: boolean;
}

const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0)) throw new InvalidArgumentError(`${name} must be a number > 0, got "${value}".`);
  return n;
};
const nonNegative = (name: string) => (value: string) => {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a number >= 0, got "${value}".`);
  return n;
};
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const ids = (value: string) => {
  const list = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((id) => !CHECK_IDS.includes(id));
  if (list.length === 0 || unknown.length > 0)
    throw new InvalidArgumentError(`unknown check ${unknown.join(", ") || "(none)"}; the checks are ${CHECK_IDS.join(", ")}.`);
  return list;
};
const gib = (bytes: number) => bytes / 1024 ** 3;
const E = PROCESSOR_ENV;

/** `mass-ingest doctor [csv]`: `action` gets the csv argument and the flags. */
export function createProgram(
  io: { out: (s: string) => void; err: (s: string) => void },
  action: (csv: string | undefined, flags: DoctorFlags) => Promise<void>,
): Command {
  const program = new Command(DOCTOR_BIN)
    .description("mass-ingest tools.")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
  program
    .command("doctor")
    .description(
      `Check a set-up before a night depends on it: one line per check (pass / warn / fail / skip) with what to do. Reads the processor's environment (${E.publishUrl.name}, ${E.gitCredentials.name}, ${E.dataDir.name}, ...). Exit 0 when nothing failed, 1 otherwise, 2 for bad arguments.`,
    )
    .argument("[csv]", "repos.csv: a path, s3://bucket/key or http(s):// URL (the csv, JDK and git host checks need it)")
    .addOption(new Option("--json", "print one JSON document: checks, counts, exitCode").default(false))
    .option("--data-dir <dir>", `work directory (${E.dataDir.name}; default ${envDefaultText(E.dataDir)})`)
    .option("--state <url>", "state store: a directory or s3://bucket/prefix (default: not checked)")
    .option("--jdk-root <dir>", `folder whose subfolders are JDKs, repeatable (default ${D.jdkRoots.join(" and ")})`, collect)
    .option("--java-home <dir>", "an extra JDK home, repeatable (JAVA_HOME is always looked at)", collect)
    .option(
      "--disk-warn-gib <n>",
      `warn below this much free disk (default ${gib(DEFAULT_THRESHOLDS.diskWarnBytes)})`,
      nonNegative("--disk-warn-gib"),
    )
    .option(
      "--disk-fail-gib <n>",
      `fail below this much free disk (default ${gib(DEFAULT_THRESHOLDS.diskFailBytes)})`,
      nonNegative("--disk-fail-gib"),
    )
    .option(
      "--memory-warn-gib <n>",
      `warn below this much memory (default ${gib(DEFAULT_THRESHOLDS.memoryWarnBytes)})`,
      nonNegative("--memory-warn-gib"),
    )
    .option(
      "--memory-fail-gib <n>",
      `fail below this much memory (default ${gib(DEFAULT_THRESHOLDS.memoryFailBytes)})`,
      nonNegative("--memory-fail-gib"),
    )
    .option("--only <ids>", `only these checks, comma separated (${CHECK_IDS.join(", ")})`, ids)
    .option("--timeout <seconds>", `time one check may take (default ${D.timeoutSeconds})`, positive("--timeout"))
    .addOption(new Option("--allow-file-urls", "accept file:// clone URLs (local use and tests)").default(false))
    .action(action);
  return program;
}
