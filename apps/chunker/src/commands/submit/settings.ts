import { validateRunId, defaultRunId } from "@mass-ingest/batch";
import { CHUNKER_ENV, PROCESSOR_BIN, PROCESSOR_ENV } from "@mass-ingest/contract";
import { z } from "zod";
import { duration } from "../../duration.js";
import { FLAG_DEFAULTS as D } from "../flag-defaults.js";
import { checked, flagOrEnv, parseSettings, required, wholeNumber } from "../../settings.js";
import { stateLocation } from "../../state/location.js";

/** The flags of `submit` as commander hands them over. */
export interface SubmitFlags {
  partitionSize?: string;
  jobQueue?: string;
  jobDefinition?: string;
  jobName?: string;
  runId?: string;
  dryRun?: boolean;
  perPartition?: boolean;
  wait?: boolean;
  /** "batch" (default) or "local"; commander restricts it to these. */
  executor?: "batch" | "local";
  parallel?: string;
  processor?: string;
  childCsv?: string;
  interval?: string;
  concurrency?: string;
  checkSecrets?: boolean;
  json?: boolean;
  strict?: boolean;
  /** `--state <dir|s3://...>`; false with `--no-state`. */
  state?: string | false;
  full?: boolean;
  maxAge?: string;
  maxStale?: string;
  fillStale?: boolean;
  driftAge?: string;
  importLock?: string;
  timeBudget?: string;
  lsRemoteConcurrency?: string;
  lsRemoteTimeout?: string;
  workers?: string;
  modCli?: string;
  quarantineAfter?: string;
  quarantineEvery?: string;
  rolloutNights?: string;
}

const constant = <T>(value: T) => z.unknown().transform((): T => value);
const orElse = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v): string => v ?? fallback);

/**
 * The schema of `submit`'s settings. Settings a mode does not use are not checked in that mode (as before):
 * the queue and job definition only for a real Batch submit, `--parallel` only for the local executor,
 * `--concurrency` only for a Batch submit, `--interval` only with `--wait`.
 */
function submitSchema(executor: "batch" | "local", dryRun: boolean, wait: boolean) {
  const batchSubmit = executor === "batch" && !dryRun;
  const local = executor === "local";
  return z.object({
    partitionSize: wholeNumber("--partition-size", CHUNKER_ENV.partitionSize.name, D.partitionSize),
    runId: checked(validateRunId),
    jobQueue: batchSubmit ? required("--job-queue", CHUNKER_ENV.jobQueue.name, "job queue") : orElse("<job-queue>"),
    jobDefinition: batchSubmit
      ? required("--job-definition", CHUNKER_ENV.jobDefinition.name, "job definition")
      : orElse("<job-definition>"),
    jobName: orElse(D.jobName),
    csv: z.string(),
    childCsv: z.string(),
    executor: z.enum(["batch", "local"]),
    dryRun: z.boolean(),
    strict: z.boolean(),
    perPartition: z.boolean(),
    wait: z.boolean(),
    json: z.boolean(),
    checkSecrets: z.boolean(),
    parallel: local ? wholeNumber("--parallel", undefined, D.parallel) : constant(D.parallel),
    processor: z.array(z.string()).optional(),
    concurrency: batchSubmit ? wholeNumber("--concurrency", undefined, D.concurrency) : constant(D.concurrency),
    interval: batchSubmit && wait ? wholeNumber("--interval", undefined, D.interval) : constant(D.interval),
    /** The state store (undefined: no state, a run as before). */
    state: z.string().optional(),
    full: z.boolean(),
    maxAgeMs: duration("--max-age", D.maxAge, 0),
    /** `--max-stale`: at most this many stale rebuilds a night, oldest first; "auto" (default): rows / max-age days (`maxStaleFor`); "off": no cap. */
    maxStale: maxStaleSetting(),
    /** Fill (default; `--no-fill-stale` turns it off): with a cap, quiet nights are topped up to it (state's `fillStale`). */
    fillStale: z.boolean(),
    driftAgeMs: duration("--drift-age", D.driftAge, 0),
    /** `--import-lock`: a repos-lock.csv that seeds the state before the selection. */
    importLock: z.string().optional(),
    timeBudgetMs: duration("--time-budget", D.timeBudget, 1),
    lsRemoteConcurrency: wholeNumber("--ls-remote-concurrency", undefined, D.lsRemoteConcurrency),
    lsRemoteTimeoutMs: duration("--ls-remote-timeout", D.lsRemoteTimeout, 1),
    /** Partitions that run at once (the planner rounds the partition count to it); 0 = not given: --parallel locally, none on Batch. */
    workers: wholeNumber("--workers", undefined, 0),
    /** Failing nights in a row before a repository is quarantined (0: never); then a try every quarantineEveryMs. */
    quarantineAfter: wholeNumber("--quarantine-after", undefined, D.quarantineAfter, 0),
    quarantineEveryMs: duration("--quarantine-every", D.quarantineEvery, 1),
    /** Nights a fingerprint change is spread over after its canary (0: rebuild everything the night it changes). */
    rolloutNights: wholeNumber("--rollout-nights", undefined, D.rolloutNights, 0),
    /** The Moderne CLI whose version goes into the fingerprints (the processors' MOD_CLI, else `mod` on PATH). */
    modCli: z.string(),
  });
}

/** Everything `submit` acts on, validated: the four parts below together. */
export type SubmitSettings = z.output<ReturnType<typeof submitSchema>>;

/** What every mode uses: the csv, the plan's shape, the run and the output. */
export type CommonSettings = Pick<
  SubmitSettings,
  | "partitionSize"
  | "runId"
  | "jobName"
  | "csv"
  | "childCsv"
  | "executor"
  | "dryRun"
  | "strict"
  | "perPartition"
  | "wait"
  | "json"
  | "checkSecrets"
>;
/** A submit to AWS Batch: the queue, the job definition, the submit concurrency and the `--wait` interval. */
export type BatchSettings = Pick<SubmitSettings, "jobQueue" | "jobDefinition" | "concurrency" | "interval">;
/** The local executor: partitions at once and the processor command. */
export type LocalSettings = Pick<SubmitSettings, "parallel" | "processor">;
/** The state store and its selection, planning and change detection settings. */
export type StateSettings = Pick<
  SubmitSettings,
  | "state"
  | "full"
  | "maxAgeMs"
  | "maxStale"
  | "fillStale"
  | "driftAgeMs"
  | "importLock"
  | "timeBudgetMs"
  | "lsRemoteConcurrency"
  | "lsRemoteTimeoutMs"
  | "workers"
  | "quarantineAfter"
  | "quarantineEveryMs"
  | "rolloutNights"
  | "modCli"
>;
/** The parts cover the settings exactly (a field added to the schema must go into one part). */
type Parts = keyof (CommonSettings & BatchSettings & LocalSettings & StateSettings);
const partsCoverSettings: [Exclude<keyof SubmitSettings, Parts>] extends [never] ? true : never = true;
void partsCoverSettings;

/** `--max-stale`: a whole number >= 0, "auto" (the default) or "off" (no cap: every stale repository is rebuilt). */
function maxStaleSetting() {
  return z
    .string()
    .optional()
    .transform((value, ctx): number | "auto" | "off" => {
      if (value === undefined || value === "auto") return "auto";
      if (value === "off") return "off";
      if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
      ctx.addIssue({
        code: "custom",
        message: `--max-stale must be a whole number >= 0, "auto" or "off", got "${value}".`,
        params: { code: "INVALID_SETTING", hint: "Pass --max-stale auto (rows / max-age days, the default) or --max-stale off (no cap)." },
      });
      return z.NEVER;
    });
}

/** The stale cap passed to prepareRun: "auto" is ceil(rows / max-age days) (none when the max age is 0); "off": none. */
export function maxStaleFor(setting: SubmitSettings["maxStale"] | undefined, rows: number, maxAgeMs: number): number | undefined {
  if (setting === "off") return undefined;
  if (setting !== "auto") return setting;
  const days = maxAgeMs / 86_400_000;
  return days > 0 ? Math.ceil(rows / days) : undefined;
}

/** The local executor's processor command when none is given. */
export const DEFAULT_PROCESSOR_COMMAND: readonly string[] = [PROCESSOR_BIN];

/** Flags + environment -> the one validated settings object of `submit` (MassIngestError, exit 2, when wrong). */
export function submitSettings(csv: string, flags: SubmitFlags, env: Readonly<Record<string, string | undefined>>): SubmitSettings {
  const executor = flags.executor ?? D.executor;
  const dryRun = flags.dryRun === true;
  const wait = flags.wait === true;
  const processor = flags.processor ? flags.processor.split(/\s+/).filter(Boolean) : undefined;
  return parseSettings(submitSchema(executor, dryRun, wait), {
    partitionSize: flagOrEnv(flags.partitionSize, CHUNKER_ENV.partitionSize.name, env),
    runId: flagOrEnv(flags.runId, CHUNKER_ENV.runId.name, env) ?? defaultRunId(new Date(), env),
    jobQueue: flagOrEnv(flags.jobQueue, CHUNKER_ENV.jobQueue.name, env),
    jobDefinition: flagOrEnv(flags.jobDefinition, CHUNKER_ENV.jobDefinition.name, env),
    jobName: flagOrEnv(flags.jobName, CHUNKER_ENV.jobName.name, env),
    csv,
    childCsv: flags.childCsv ?? csv,
    executor,
    dryRun,
    strict: flags.strict === true,
    perPartition: flags.perPartition === true,
    wait,
    json: flags.json === true,
    checkSecrets: flags.checkSecrets !== false,
    parallel: flags.parallel,
    ...(processor && processor.length > 0 ? { processor } : {}),
    concurrency: flags.concurrency,
    interval: flags.interval,
    ...stateSettings(flags, env, executor),
  });
}

/** The state flags: the location (`--state`, STATE_URL, or `<DATA_DIR>/state` for local runs; none with `--no-state`). */
function stateSettings(flags: SubmitFlags, env: Readonly<Record<string, string | undefined>>, executor: "batch" | "local") {
  const state = stateLocation(flags.state, env, executor === "local");
  return {
    ...(state ? { state } : {}),
    full: flags.full === true,
    maxAgeMs: flags.maxAge,
    maxStale: flags.maxStale,
    // on by default (steady nights); --no-fill-stale turns it off
    fillStale: flags.fillStale !== false,
    driftAgeMs: flags.driftAge,
    ...(flags.importLock ? { importLock: flags.importLock } : {}),
    timeBudgetMs: flags.timeBudget,
    lsRemoteConcurrency: flags.lsRemoteConcurrency,
    lsRemoteTimeoutMs: flags.lsRemoteTimeout,
    workers: flags.workers,
    quarantineAfter: flags.quarantineAfter,
    quarantineEveryMs: flags.quarantineEvery,
    rolloutNights: flags.rolloutNights,
    modCli: flagOrEnv(flags.modCli, PROCESSOR_ENV.modCli.name, env) ?? D.modCli,
  };
}
