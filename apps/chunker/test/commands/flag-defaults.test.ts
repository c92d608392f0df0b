// Every default `--help` states is the value the settings parser uses when the flag is not given, for every option
// of every command (table-driven from commander's own option list), and the "Environment:" block lists every
// variable of the contract's CHUNKER_ENV.
import { CHUNKER_ENV, DEFAULTS } from "@mass-ingest/contract/env";
import { DEFAULT_TREND_RUNS } from "@mass-ingest/report";
import {
  DEFAULT_DRIFT_AGE_MS,
  DEFAULT_FRESHNESS_TARGET_MS,
  DEFAULT_LS_REMOTE_CONCURRENCY,
  DEFAULT_LS_REMOTE_TIMEOUT_MS,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_QUARANTINE_AFTER,
  DEFAULT_QUARANTINE_CADENCE_MS,
  DEFAULT_TIME_BUDGET_MS,
} from "@mass-ingest/state";
import type { Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { FLAG_DEFAULTS } from "../../src/commands/flag-defaults.js";
import { reportSettings } from "../../src/commands/report/settings.js";
import { statusSettings } from "../../src/commands/status/command.js";
import { submitSettings, type SubmitSettings } from "../../src/commands/submit/settings.js";
import { parseDuration } from "../../src/duration.js";
import type { Io } from "../../src/io.js";
import { chunkerProgram } from "../../src/program.js";

const context = { signal: new AbortController().signal, action: () => async () => {} } as unknown as Parameters<typeof chunkerProgram>[0];
const program = chunkerProgram(context, { env: {} } as unknown as Io);
const command = (name: string): Command => program.commands.find((c) => c.name() === name)!;

/** The settings each mode parses when no flag is given: a Batch submit that waits, a local run, a dry run. */
const base = { runId: "r", jobQueue: "q", jobDefinition: "d" };
const batch = () => submitSettings("repos.csv", { ...base, wait: true }, {});
const local = () => submitSettings("repos.csv", { ...base, executor: "local", state: false }, {});
const fromSubmit =
  (key: keyof SubmitSettings, mode = batch) =>
  () =>
    mode()[key];

/** What each flag with a stated default falls back to, read from the parser that uses it. */
const PARSED: Record<string, Record<string, () => unknown>> = {
  submit: {
    "--partition-size": fromSubmit("partitionSize"),
    "--job-name": fromSubmit("jobName"),
    "--executor": fromSubmit("executor"),
    "--parallel": fromSubmit("parallel", local),
    "--concurrency": fromSubmit("concurrency"),
    "--interval": fromSubmit("interval"),
    "--max-age": fromSubmit("maxAgeMs"),
    "--drift-age": fromSubmit("driftAgeMs"),
    "--time-budget": fromSubmit("timeBudgetMs"),
    "--ls-remote-concurrency": fromSubmit("lsRemoteConcurrency"),
    "--ls-remote-timeout": fromSubmit("lsRemoteTimeoutMs"),
    "--quarantine-after": fromSubmit("quarantineAfter"),
    "--quarantine-every": fromSubmit("quarantineEveryMs"),
    "--rollout-nights": fromSubmit("rolloutNights"),
    "--mod-cli": fromSubmit("modCli"),
  },
  status: {
    "--interval": () => statusSettings("run-1", { wait: true }, {}).interval,
    // Not passed when not given: the batch library's default job name prefix (the contract's).
    "--job-name": () => DEFAULTS.jobName,
  },
  // `retry --state` parses its flags with submit's settings.
  retry: {
    "--executor": fromSubmit("executor"),
    "--parallel": fromSubmit("parallel", local),
    "--partition-size": fromSubmit("partitionSize"),
    "--job-name": fromSubmit("jobName"),
  },
  report: {
    "--trends": () => reportSettings(undefined, {}, {}, "/tmp").trends,
    "--vcpus": () => reportSettings(undefined, {}, {}, "/tmp").vcpus,
    "--freshness-target": () => reportSettings(undefined, {}, {}, "/tmp").freshnessTargetMs,
  },
  release: {},
};

/** Defaults stated in words (a rule, not one value): the flag and the words, so a new one must be placed. */
const IN_WORDS: Record<string, Record<string, string>> = {
  submit: {
    "--run-id": "the UTC time",
    "--strict": "invalid rows are logged",
    "--processor": "the workspace's apps/processor/dist/main.js",
    "--child-csv": "<csv>",
    "--state": "<DATA_DIR>/state",
    "--max-stale": "no cap",
    "--workers": "--parallel locally",
  },
  status: { "--state": "<DATA_DIR>/state" },
  retry: {
    "--job-queue": "the run's queue",
    "--job-definition": "the run's",
    "--state": "<DATA_DIR>/state",
    "--run-id": "<run-id>-retry-<UTC time>",
  },
  report: { "--price-per-vcpu-hour": "no estimate", "--state": "<DATA_DIR>/state" },
  release: { "--state": "<DATA_DIR>/state" },
};

/** The default an option's help states: commander's own (`.default()`), else "default X" in its description. */
function statedDefault(option: Option): string | undefined {
  if (option.defaultValue !== undefined && typeof option.defaultValue !== "boolean") return String(option.defaultValue);
  return /\bdefault:? ([^;)]+)/.exec(option.description)?.[1]?.replace(/^(\S+) on PATH$/, "$1");
}

/** The stated default as the parser's value: a duration in ms for a duration flag, a number, else the text. */
function valueOf(option: Option, text: string): unknown {
  if (option.flags.includes("<duration>")) return parseDuration(text);
  return /^\d+$/.test(text) ? Number(text) : text;
}

describe.each(Object.keys(PARSED))("%s --help", (name) => {
  const options = command(name).options.filter((o) => o.long !== "--help" && statedDefault(o) !== undefined);

  it("states only defaults this test knows (a value checked below, or a rule in words)", () => {
    const known = [...Object.keys(PARSED[name]!), ...Object.keys(IN_WORDS[name]!)].sort();
    expect(options.map((o) => o.long!).sort()).toEqual(known);
  });

  it.each(Object.keys(PARSED[name]!))("%s: the default it states is the one the settings parser uses", (flag) => {
    const option = options.find((o) => o.long === flag)!;
    expect(option, `${flag} states no default`).toBeDefined();
    expect(valueOf(option, statedDefault(option)!)).toEqual(PARSED[name]![flag]!());
  });

  it.each(Object.entries(IN_WORDS[name]!))("%s states its default in words (%s)", (flag, words) => {
    expect(options.find((o) => o.long === flag)!.description).toContain(words);
  });
});

it("the chunker's flag defaults are the libraries' own defaults", () => {
  const ms = (text: string) => parseDuration(text);
  expect({
    maxAge: ms(FLAG_DEFAULTS.maxAge),
    driftAge: ms(FLAG_DEFAULTS.driftAge),
    timeBudget: ms(FLAG_DEFAULTS.timeBudget),
    lsRemoteConcurrency: FLAG_DEFAULTS.lsRemoteConcurrency,
    lsRemoteTimeout: ms(FLAG_DEFAULTS.lsRemoteTimeout),
    quarantineAfter: FLAG_DEFAULTS.quarantineAfter,
    quarantineEvery: ms(FLAG_DEFAULTS.quarantineEvery),
    trends: FLAG_DEFAULTS.trends,
    freshnessTarget: ms(FLAG_DEFAULTS.freshnessTarget),
    partitionSize: FLAG_DEFAULTS.partitionSize,
    jobName: FLAG_DEFAULTS.jobName,
  }).toEqual({
    maxAge: DEFAULT_MAX_AGE_MS,
    driftAge: DEFAULT_DRIFT_AGE_MS,
    timeBudget: DEFAULT_TIME_BUDGET_MS,
    lsRemoteConcurrency: DEFAULT_LS_REMOTE_CONCURRENCY,
    lsRemoteTimeout: DEFAULT_LS_REMOTE_TIMEOUT_MS,
    quarantineAfter: DEFAULT_QUARANTINE_AFTER,
    quarantineEvery: DEFAULT_QUARANTINE_CADENCE_MS,
    trends: DEFAULT_TREND_RUNS,
    freshnessTarget: DEFAULT_FRESHNESS_TARGET_MS,
    partitionSize: DEFAULTS.partitionSize,
    jobName: DEFAULTS.jobName,
  });
});

describe.each([["mass-ingest-chunker", program] as const, ["submit", command("submit")] as const])("%s --help", (_, cmd) => {
  const help = (() => {
    let out = "";
    cmd.configureOutput({ writeOut: (s) => (out += s) });
    cmd.outputHelp();
    return out;
  })();
  const environment = help.slice(help.indexOf("\nEnvironment:\n"));

  it("has an Environment: section that lists every CHUNKER_ENV variable with what it sets", () => {
    expect(help).toContain("\nEnvironment:\n");
    for (const row of Object.values(CHUNKER_ENV)) {
      expect(environment).toMatch(new RegExp(`^  ${row.name} +${row.description.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    }
  });

  it("states the variables' defaults from the contract", () => {
    expect(environment).toContain(`(default ${CHUNKER_ENV.partitionSize.default})`);
    expect(environment).toContain(`(default ${CHUNKER_ENV.jobName.default})`);
  });
});

describe("submit --help: a flag whose help says what 0 means", () => {
  const zeroes = command("submit").options.filter((o) => /[;(] ?0 [a-z]/.test(o.description));

  it("are the ones this test knows", () => {
    expect(zeroes.map((o) => o.long)).toEqual(["--max-age", "--quarantine-after", "--rollout-nights"]);
  });

  it.each(zeroes.map((o) => [o.long!, o] as const))("%s accepts 0", (_, option) => {
    const s = submitSettings("repos.csv", { ...base, dryRun: true, [option.attributeName()]: "0" }, {}) as Record<string, unknown>;
    const key = option.attributeName() in s ? option.attributeName() : `${option.attributeName()}Ms`;
    expect(s[key]).toBe(0);
  });
});
