import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { DEFAULTS } from "@mass-ingest/contract";
import { maskUserInfo } from "@mass-ingest/core";
import pLimit, { type LimitFunction } from "p-limit";
import { logFileNames, logTimestamp } from "./log-layout.js";
import { currentRemedies, type JdkRemedy } from "./triage/remedy.js";
import { DEFAULT_TRANSIENT_RETRY, type TransientRetry } from "./triage/retry.js";
import type { ModCli } from "./mod-cli.js";
import type { Concurrency, PipelineEvent, PipelineOptions } from "./options.js";

/** Default SYNC_TIMEOUT and PUBLISH_TIMEOUT: 30 minutes each. */
export const DEFAULT_STEP_TIMEOUT_MS = DEFAULTS.stepTimeoutSeconds * 1000;

/** Time kept free before the run's deadline for the log zips' and the report's uploads. */
export const DEADLINE_RESERVE_MS = 120_000;

/** `http(s)://user:password@` (or `token@`): the user info of a URL. */

/** Everything the stages of every group share: settings with defaults filled in, limits, paths, emit and redact. */
export interface RunContext {
  readonly cli: ModCli;
  readonly dataDir: string;
  readonly workRoot: string;
  readonly signal?: AbortSignal;
  readonly ts: string;
  readonly batchSize: number;
  readonly concurrency: Concurrency;
  readonly buildTimeoutMs: number;
  readonly timeouts: { sync: number; publish: number; log: number };
  /** Retries of transient failures (triage/retry.ts). */
  readonly retry: TransientRetry;
  /** Java majors the machine has (triage/remedy.ts). */
  readonly jdks: readonly number[];
  /** Remedies by row applied tonight (triage/remedy.ts). */
  readonly remedies?: ReadonlyMap<number, JdkRemedy>;
  /** Epoch ms of the run's deadline (see PipelineOptions.deadline). */
  readonly deadline?: number;
  /** Predicted ms by row (see PipelineOptions.predictedMs). */
  readonly predictedMs?: ReadonlyMap<number, number>;
  readonly publish: boolean;
  /** Environment of `mod publish` only (the artifact store's MOD_LSTS_ARTIFACTS_*, credentials included). */
  readonly publishEnv?: Record<string, string>;
  readonly keepWorkDirs: boolean;
  /** Local files of the run: the two zips `mod log ... add` appends to, and the report. */
  readonly files: { syncLog: string; buildLog: string; report: string };
  readonly limits: {
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

/** Validate the options, fill in the defaults, create the run's directories. Throws RangeError on bad limits. */
export async function createRunContext(options: PipelineOptions, startedAt: Date): Promise<RunContext> {
  const concurrency: Concurrency = { ...DEFAULTS.concurrency, ...options.concurrency };
  for (const [k, v] of Object.entries(concurrency)) positive(`concurrency.${k}`, v);
  const batchSize = positive("batchSize", options.batchSize ?? DEFAULTS.batchSize);
  const publish = options.publish ?? false;
  const ts = options.ts ?? logTimestamp(startedAt);
  const workRoot = path.join(options.dataDir, "work");
  const logDir = path.join(options.dataDir, "logs", options.index, runFolder(ts, startedAt));
  await mkdir(workRoot, { recursive: true });
  await mkdir(logDir, { recursive: true });
  const names = logFileNames(options.index, ts);
  const { redactor, onEvent } = options;
  return {
    cli: options.cli,
    dataDir: options.dataDir,
    workRoot,
    ...(options.signal ? { signal: options.signal } : {}),
    ts,
    batchSize,
    concurrency,
    buildTimeoutMs: options.buildTimeoutMs ?? DEFAULTS.buildTimeoutSeconds * 1000,
    retry: options.transientRetry ?? DEFAULT_TRANSIENT_RETRY,
    timeouts: { sync: DEFAULT_STEP_TIMEOUT_MS, publish: DEFAULT_STEP_TIMEOUT_MS, log: 300_000, ...options.stepTimeoutsMs },
    jdks: options.jdks ?? [],
    ...(options.remedies ? { remedies: currentRemedies(options.repos, options.remedies) } : {}),
    ...(options.deadline ? { deadline: options.deadline.getTime() } : {}),
    ...(options.predictedMs ? { predictedMs: options.predictedMs } : {}),
    publish,
    ...(options.publishEnv && Object.keys(options.publishEnv).length ? { publishEnv: options.publishEnv } : {}),
    keepWorkDirs: options.keepWorkDirs ?? !publish,
    files: {
      syncLog: path.join(logDir, names.syncLog),
      buildLog: path.join(logDir, names.buildLog),
      report: path.join(logDir, names.report),
    },
    limits: {
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
