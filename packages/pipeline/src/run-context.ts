import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { DEFAULTS } from "@mass-ingest/contract";
import { maskUserInfo } from "@mass-ingest/core";
import pLimit, { type LimitFunction } from "p-limit";
import { logFileNames, logTimestamp } from "./log-layout.js";
import { currentRemedies, type JdkRemedy } from "./triage/remedy.js";
import { DEFAULT_TRANSIENT_RETRY } from "./triage/retry.js";
import type { Concurrency, PipelineEvent, PipelineLimits, PipelineOptions, PipelineOutput, StepTimeouts } from "./options.js";

/** Default SYNC_TIMEOUT and PUBLISH_TIMEOUT: 30 minutes each. */
export const DEFAULT_STEP_TIMEOUT_MS = DEFAULTS.stepTimeoutSeconds * 1000;

/** Time kept free before the run's deadline for the log zips' and the report's uploads. */
export const DEADLINE_RESERVE_MS = 120_000;

/** PipelineLimits with every default filled in. */
export type RunLimits = Required<Omit<PipelineLimits, "concurrency" | "stepTimeoutsMs" | "deadline" | "predictedMs">> &
  Pick<PipelineLimits, "deadline" | "predictedMs"> & { readonly concurrency: Concurrency; readonly stepTimeoutsMs: StepTimeouts };

/** PipelineOutput with `publish` and `keepWorkDirs` decided; `publishEnv` only when it has a variable. */
export type RunOutput = Required<Pick<PipelineOutput, "publish" | "keepWorkDirs">> & Omit<PipelineOutput, "publish" | "keepWorkDirs">;

/**
 * Everything the stages of every group share: the options' parts with their defaults filled in (`limits`,
 * `output`), and what the start derives from them: paths, stage slots, emit and redact.
 */
export interface RunContext extends Readonly<Pick<PipelineOptions, "cli" | "dataDir" | "signal">> {
  readonly limits: Readonly<RunLimits>;
  readonly output: Readonly<RunOutput>;
  /** PipelineOptions.jdks, default none. */
  readonly jdks: readonly number[];
  /** The remedies of PipelineRows.remedies that apply tonight (currentRemedies: the row's `java` is unchanged). */
  readonly remedies?: ReadonlyMap<number, JdkRemedy>;
  /** PipelineOptions.ts, default the start's minute. */
  readonly ts: string;
  readonly workRoot: string;
  /** Local files of the run: the two zips `mod log ... add` appends to, and the report. */
  readonly files: { syncLog: string; buildLog: string; report: string };
  /** The stage limits (of `limits.concurrency`), and one writer per log zip. */
  readonly slots: {
    pending: LimitFunction;
    sync: LimitFunction;
    build: LimitFunction;
    publish: LimitFunction;
    syncLog: LimitFunction;
    buildLog: LimitFunction;
  };
  redact(text: string): string;
  emit(event: PipelineEvent): void;
}

/**
 * The run's own local folder under `logs/INDEX/`: TS plus the seconds of the start and a random suffix
 * (`202601020304` + `05` + `-a1b2c3`), so two runs in the same minute never share a folder, a report or a zip
 * (`mod log ... add` appends to the zip it is given). Only the uploaded keys keep Moderne's minute layout.
 */
function runFolder(ts: string, startedAt: Date): string {
  return `${ts}${String(startedAt.getUTCSeconds()).padStart(2, "0")}-${randomBytes(3).toString("hex")}`;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** The limits with their defaults (DEFAULTS of @mass-ingest/contract). Throws RangeError on a bad limit. */
function limitsOf(options: PipelineLimits): RunLimits {
  const concurrency: Concurrency = { ...DEFAULTS.concurrency, ...options.concurrency };
  for (const [k, v] of Object.entries(concurrency)) positive(`concurrency.${k}`, v);
  return {
    batchSize: positive("batchSize", options.batchSize ?? DEFAULTS.batchSize),
    concurrency,
    buildTimeoutMs: options.buildTimeoutMs ?? DEFAULTS.buildTimeoutSeconds * 1000,
    stepTimeoutsMs: { sync: DEFAULT_STEP_TIMEOUT_MS, publish: DEFAULT_STEP_TIMEOUT_MS, log: 300_000, ...options.stepTimeoutsMs },
    transientRetry: options.transientRetry ?? DEFAULT_TRANSIENT_RETRY,
    ...(options.deadline ? { deadline: options.deadline } : {}),
    ...(options.predictedMs ? { predictedMs: options.predictedMs } : {}),
  };
}

/** The output with its defaults: no publishing; work directories kept when not publishing. */
function outputOf({ publish = false, keepWorkDirs = !publish, publishEnv, store, logStore }: PipelineOutput): RunOutput {
  return {
    publish,
    keepWorkDirs,
    ...(publishEnv && Object.keys(publishEnv).length ? { publishEnv } : {}),
    ...(store ? { store } : {}),
    ...(logStore ? { logStore } : {}),
  };
}

/** Validate the options, fill in the defaults, create the run's directories. Throws RangeError on bad limits. */
export async function createRunContext(options: PipelineOptions, startedAt: Date): Promise<RunContext> {
  const limits = limitsOf(options);
  const ts = options.ts ?? logTimestamp(startedAt);
  const workRoot = path.join(options.dataDir, "work");
  const logDir = path.join(options.dataDir, "logs", options.index, runFolder(ts, startedAt));
  await mkdir(workRoot, { recursive: true });
  await mkdir(logDir, { recursive: true });
  const names = logFileNames(options.index, ts);
  const { redactor, onEvent } = options;
  const { concurrency } = limits;
  return {
    cli: options.cli,
    dataDir: options.dataDir,
    ...(options.signal ? { signal: options.signal } : {}),
    limits,
    output: outputOf(options),
    jdks: options.jdks ?? [],
    ...(options.remedies ? { remedies: currentRemedies(options.repos, options.remedies) } : {}),
    ts,
    workRoot,
    files: {
      syncLog: path.join(logDir, names.syncLog),
      buildLog: path.join(logDir, names.buildLog),
      report: path.join(logDir, names.report),
    },
    slots: {
      pending: pLimit(concurrency.maxPending),
      sync: pLimit(concurrency.sync),
      build: pLimit(concurrency.build),
      publish: pLimit(concurrency.publish),
      // `mod log ... add` appends to one zip per run: one writer per zip at a time.
      syncLog: pLimit(1),
      buildLog: pLimit(1),
    },
    // Registered secrets via the redactor; credentials written into clone URLs (https://user:token@host/...) are
    // nobody's registered secret, so the user info of every http(s) URL is masked as well.
    redact: (s) => maskUserInfo(redactor ? redactor.redact(s) : s),
    emit: (event) => {
      try {
        onEvent?.(event);
      } catch {
        // a listener must never break the run
      }
    },
  };
}
