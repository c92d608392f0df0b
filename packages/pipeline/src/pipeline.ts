import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { toCsv, type RepoRow } from "@mass-ingest/partition";
import pLimit from "p-limit";
import type { ArtifactStoreKind } from "./configure.js";
import type { ModCli, ModRunResult } from "./mod-cli.js";
import { logFileNames, logKeys, logTimestamp, type LogStore } from "./log-store.js";
import type { SecretRedactor } from "./redact.js";
import {
  formatSummary,
  totalsOf,
  writeJsonAtomic,
  type ArtifactLocation,
  type RepoResult,
  type RepoStatus,
  type RunReport,
  type StepName,
  type StepRecord,
} from "./report.js";

/** `http(s)://user:password@` (or `token@`): the user info of a URL. */
const URL_USER_INFO = /(https?:\/\/)[^/@\s]+@/gi;

/** Concurrency limits per stage. */
export interface Concurrency {
  /** Parallel `mod git sync` calls (network bound). */
  sync: number;
  /** Parallel `mod build` calls (CPU / memory bound: each is a JVM plus Maven/Gradle). */
  build: number;
  /** Parallel `mod publish` calls (network bound). */
  publish: number;
  /** Groups synced (or syncing) but not yet building: bounds the disk used by clones waiting for a build slot. */
  maxPending: number;
}

/** Defaults for the 4 vCPU / 15 GB worker: two builds (~2 vCPU + up to ~6 GB each), two syncs, two publishes. */
export const DEFAULT_CONCURRENCY: Concurrency = { sync: 2, build: 2, publish: 2, maxPending: 2 };

/** Default build timeout: 2700 s (BUILD_TIMEOUT). */
export const DEFAULT_BUILD_TIMEOUT_MS = 2_700_000;

/** Rows the caller already knows cannot run (invalid CSV rows): reported as skipped. */
export interface SkippedRow {
  row: number;
  cloneUrl?: string;
  reason: string;
}

/** Progress events (all strings already redacted). */
export type PipelineEvent =
  | { type: "group-start"; group: string; rows: number[] }
  | { type: "step-start"; group: string; step: StepName; command: string }
  | { type: "step-end"; group: string; step: StepName; exitCode: number | null; durationMs: number; timedOut: boolean; aborted: boolean }
  | { type: "repo-done"; result: RepoResult }
  | { type: "upload"; what: "syncLog" | "buildLog" | "report"; location: string }
  | { type: "upload-failed"; what: "syncLog" | "buildLog" | "report"; error: string }
  | { type: "warning"; message: string };

export interface PipelineOptions {
  /** The rows to ingest (from @mass-ingest/partition). */
  repos: readonly RepoRow[];
  /** The Moderne CLI runner (configured already: see configureMod). */
  cli: ModCli;
  /** Work directory: clones, log zips and the report live under it. */
  dataDir: string;
  /** `START-END` or `all` (see logIndex). */
  index: string;
  /** UTC YYYYMMDDHHmm; default now. */
  ts?: string;
  runId?: string;
  /** Rows per `mod` call (BATCH_SIZE, default 1). */
  batchSize?: number;
  concurrency?: Partial<Concurrency>;
  /** BUILD_TIMEOUT in ms (default 2 700 000). */
  buildTimeoutMs?: number;
  /** Timeouts of the other steps (ms; defaults sync 1800 s, publish 1800 s, log collection 300 s). */
  stepTimeoutsMs?: { sync?: number; publish?: number; log?: number };
  /** Run `mod publish` (only when an artifact store is configured). */
  publish?: boolean;
  /** The store `mod publish` uses, for the report. */
  store?: ArtifactStoreKind;
  /** Where the log zips and the report are uploaded; undefined = kept in the data directory only. */
  logStore?: LogStore;
  /** Keep each work directory after its group is done (default: keep when not publishing, so the LSTs stay). */
  keepWorkDirs?: boolean;
  /** SIGTERM semantics: start nothing new, kill running sync/build, let running uploads finish, report. */
  signal?: AbortSignal;
  /** Redacts reasons and events (the ModCli already redacts its command lines and output). */
  redactor?: SecretRedactor;
  /** Invalid rows to report as skipped. */
  skipped?: readonly SkippedRow[];
  onEvent?: (event: PipelineEvent) => void;
}

/** What runPipeline returns. */
export interface PipelineResult {
  report: RunReport;
  /** Local path of the written report. */
  reportFile: string;
  summary: string;
}

interface Group {
  id: string;
  rows: RepoRow[];
  dir: string;
  csv: string;
}

/** Name of a group from its rows: `row-7` or `rows-7-9`. */
function groupId(rows: readonly RepoRow[]): string {
  const first = rows[0]!.row;
  const last = rows[rows.length - 1]!.row;
  return first === last ? `row-${first}` : `rows-${first}-${last}`;
}

/**
 * Run repositories through sync -> sync-log -> build (timeout, whole tree killed) -> publish -> build-log ->
 * cleanup, in groups of `batchSize` rows, with the stages overlapping under separate limits. One group's failure
 * never stops the others. Writes the JSON report atomically to the data directory and uploads it with the log
 * zips when a log store is given.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const ts = options.ts ?? logTimestamp(startedAt);
  const concurrency: Concurrency = { ...DEFAULT_CONCURRENCY, ...options.concurrency };
  for (const [k, v] of Object.entries(concurrency)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`concurrency.${k} must be a positive integer, got ${v}`);
  }
  const batchSize = options.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const buildTimeoutMs = options.buildTimeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
  const timeouts = { sync: 1_800_000, publish: 1_800_000, log: 300_000, ...options.stepTimeoutsMs };
  const publish = options.publish ?? false;
  const keepWorkDirs = options.keepWorkDirs ?? !publish;
  const { cli, signal, onEvent } = options;
  // Registered secrets via the redactor; credentials written into clone URLs (https://user:token@host/...) are
  // nobody's registered secret, so the user info of every http(s) URL is masked as well: never copied into results.
  const redact = (s: string) => (options.redactor ? options.redactor.redact(s) : s).replace(URL_USER_INFO, "$1***@");
  const emit = (event: PipelineEvent) => {
    try {
      onEvent?.(event);
    } catch {
      // a listener must never break the run
    }
  };

  const workRoot = path.join(options.dataDir, "work");
  const logDir = path.join(options.dataDir, "logs", options.index, ts);
  await mkdir(workRoot, { recursive: true });
  await mkdir(logDir, { recursive: true });
  const names = logFileNames(options.index, ts);
  const syncZip = path.join(logDir, names.syncLog);
  const buildZip = path.join(logDir, names.buildLog);
  const reportFile = path.join(logDir, names.report);

  const groups: Group[] = [];
  for (let i = 0; i < options.repos.length; i += batchSize) {
    const rows = options.repos.slice(i, i + batchSize);
    const id = groupId(rows);
    groups.push({ id, rows, dir: path.join(workRoot, id), csv: path.join(workRoot, `${id}.csv`) });
  }

  const pendingLimit = pLimit(concurrency.maxPending);
  const syncLimit = pLimit(concurrency.sync);
  const buildLimit = pLimit(concurrency.build);
  const publishLimit = pLimit(concurrency.publish);
  // `mod log ... add` appends to one zip per run: one writer per zip at a time.
  const syncLogLimit = pLimit(1);
  const buildLogLimit = pLimit(1);

  const results: RepoResult[] = [];
  /** Record a repository's result and announce it; one that never ran a step (skipped row, internal error) gets empty step records. */
  type Finished = Omit<RepoResult, "steps" | "durationsMs" | "exitCodes" | "logs"> & Partial<RepoResult>;
  function record(fields: Finished): void {
    const result: RepoResult = { steps: [], durationsMs: {}, exitCodes: {}, logs: {}, ...fields };
    results.push(result);
    emit({ type: "repo-done", result });
  }
  let overheadMs = 0;
  let residualMs = 0;

  const processGroup = async (group: Group): Promise<void> => {
    const groupStart = performance.now();
    let waitedMs = 0;
    let childMs = 0;
    let ownMs = 0;
    const steps: StepRecord[] = [];
    let status: RepoStatus = "ok";
    let failedStep: StepName | undefined;
    let reason: string | undefined;
    let interrupted = false;
    let synced = false;
    let prepared = false;

    const waitFor = async <T>(limit: ReturnType<typeof pLimit>, fn: () => Promise<T>): Promise<T> => {
      const asked = performance.now();
      return limit(async () => {
        waitedMs += performance.now() - asked;
        return fn();
      });
    };

    const runStep = async (step: StepName, args: string[], timeoutMs: number, abortable: boolean): Promise<ModRunResult> => {
      emit({ type: "step-start", group: group.id, step, command: redact(["mod", ...args].join(" ")) });
      const result = await cli.run(args, { cwd: options.dataDir, timeoutMs, ...(abortable && signal ? { signal } : {}) });
      childMs += result.durationMs;
      const record: StepRecord = { step, exitCode: result.exitCode, durationMs: result.durationMs };
      if (result.signal) record.signal = result.signal;
      if (result.timedOut) record.timedOut = true;
      if (result.aborted) record.aborted = true;
      steps.push(record);
      emit({ type: "step-end", group: group.id, step, exitCode: result.exitCode, durationMs: result.durationMs, timedOut: result.timedOut, aborted: result.aborted });
      return result;
    };

    /** Mark the main flow as failed at `step` from a run result. Returns true when the step succeeded. */
    const check = (step: StepName, result: ModRunResult): boolean => {
      if (result.exitCode === 0 && !result.timedOut && !result.aborted) return true;
      failedStep = step;
      if (result.aborted) {
        status = "skipped";
        interrupted = true;
        reason = `interrupted during ${step}`;
      } else if (result.timedOut) {
        status = "timed-out";
        const limit = step === "build" ? buildTimeoutMs : step === "sync" ? timeouts.sync : timeouts.publish;
        reason = `${step} exceeded its ${Math.round(limit / 1000)} s timeout; process tree killed`;
      } else {
        status = "failed";
        const tail = result.outputTail.trim().split("\n").slice(-5).join("\n");
        reason = `\`${result.commandLine}\` exited ${result.exitCode ?? result.signal ?? "?"}${tail ? `\n${tail}` : ""}`;
      }
      return false;
    };

    const interruptedBefore = (step: StepName) => {
      status = "skipped";
      interrupted = true;
      failedStep = step;
      reason = `interrupted before ${step}`;
    };

    const collectLogs = async (kind: "sync-log" | "build-log") => {
      const zip = kind === "sync-log" ? syncZip : buildZip;
      const limit = kind === "sync-log" ? syncLogLimit : buildLogLimit;
      const args = kind === "sync-log" ? ["log", "syncs", "add", group.dir, zip, "--last-sync"] : ["log", "builds", "add", group.dir, zip, "--last-build"];
      const result = await waitFor(limit, () => runStep(kind, args, timeouts.log, false));
      if (result.exitCode !== 0) emit({ type: "warning", message: `${group.id}: \`${result.commandLine}\` exited ${result.exitCode ?? result.signal}; its logs are missing from the zip` });
    };

    let buildPromise: Promise<ModRunResult | undefined> | undefined;
    await waitFor(pendingLimit, async () => {
      if (signal?.aborted) return interruptedBefore("sync");
      const syncResult = await waitFor(syncLimit, async () => {
        if (signal?.aborted) return undefined;
        emit({ type: "group-start", group: group.id, rows: group.rows.map((r) => r.row) });
        const prep = performance.now();
        await rm(group.dir, { recursive: true, force: true });
        await writeFile(group.csv, toCsv(group.rows));
        ownMs += performance.now() - prep;
        prepared = true;
        return runStep("sync", ["git", "sync", "csv", group.dir, group.csv, "--with-sources"], timeouts.sync, true);
      });
      if (!syncResult) return interruptedBefore("sync");
      synced = existsSync(group.dir);
      if (synced) await collectLogs("sync-log");
      if (!check("sync", syncResult)) return;
      if (signal?.aborted) return interruptedBefore("build");
      // Hand the group to the build stage; the pending slot is released as soon as its build starts.
      await new Promise<void>((started) => {
        const asked = performance.now();
        buildPromise = buildLimit(async () => {
          waitedMs += performance.now() - asked;
          started();
          if (signal?.aborted) return undefined;
          return runStep("build", ["build", group.dir, "--no-download"], buildTimeoutMs, true);
        });
      });
    });

    if (buildPromise) {
      const buildResult = await buildPromise;
      const built = buildResult ? check("build", buildResult) : false;
      // Several repositories in one build: publish what did build even when some failed (as the shell worker did).
      const partial = buildResult !== undefined && !built && !buildResult.aborted && group.rows.length > 1;
      if (!buildResult) interruptedBefore("build");
      else if ((built || partial) && publish) {
        if (signal?.aborted) {
          if (built) interruptedBefore("publish");
        } else {
          // A publish that started is an upload of finished work: it is allowed to complete after an abort.
          const publishResult = await waitFor(publishLimit, async () => {
            if (signal?.aborted) return undefined;
            return runStep("publish", ["publish", group.dir], timeouts.publish, false);
          });
          if (!publishResult) {
            if (built) interruptedBefore("publish");
          } else if (built) check("publish", publishResult);
        }
      }
      if (buildResult) await collectLogs("build-log");
    }

    const keep = keepWorkDirs && status === "ok";
    if (prepared) {
      const cleanup = performance.now();
      await rm(group.csv, { force: true });
      if (!keep) await rm(group.dir, { recursive: true, force: true });
      ownMs += performance.now() - cleanup;
    }
    const durationsMs: RepoResult["durationsMs"] = {};
    const exitCodes: RepoResult["exitCodes"] = {};
    for (const s of steps) {
      durationsMs[s.step] = s.durationMs;
      exitCodes[s.step] = s.exitCode;
    }
    const ran = (step: StepName) => steps.some((s) => s.step === step && s.exitCode === 0);
    for (const row of group.rows) {
      const result: RepoResult = {
        row: row.row,
        cloneUrl: redact(row.cloneUrl),
        origin: row.origin,
        path: row.path,
        group: group.id,
        status,
        steps: steps.map((s) => ({ ...s })),
        durationsMs: { ...durationsMs },
        exitCodes: { ...exitCodes },
        logs: {},
      };
      if (row.branch) result.branch = row.branch;
      if (failedStep) result.failedStep = failedStep;
      if (reason) result.reason = redact(reason);
      if (interrupted) result.interrupted = true;
      if (ran("sync-log")) result.logs.syncLog = syncZip;
      if (ran("build-log")) result.logs.buildLog = buildZip;
      if (keep && prepared) result.logs.workDir = group.dir;
      record(result);
    }
    const wall = performance.now() - groupStart;
    overheadMs += ownMs;
    residualMs += Math.max(0, wall - waitedMs - childMs - ownMs);
  };

  const settled = await Promise.allSettled(groups.map((g) => processGroup(g)));
  settled.forEach((s, i) => {
    if (s.status === "rejected") {
      // An unexpected error in our own code (disk full, ...): that group fails, the others are unaffected.
      const group = groups[i]!;
      for (const row of group.rows) {
        if (results.some((r) => r.row === row.row)) continue;
        record({
          row: row.row,
          cloneUrl: redact(row.cloneUrl),
          origin: row.origin,
          path: row.path,
          group: group.id,
          status: "failed",
          reason: redact(`internal error: ${(s.reason as Error)?.message ?? String(s.reason)}`),
        });
      }
    }
  });
  for (const skip of options.skipped ?? []) {
    record({ row: skip.row, cloneUrl: redact(skip.cloneUrl ?? ""), group: `row-${skip.row}`, status: "skipped", reason: redact(skip.reason) });
  }
  results.sort((a, b) => a.row - b.row);

  // Upload what finished: the two zips (when any step wrote to them), then the report beside them.
  const keys = options.logStore ? logKeys(options.logStore.layout, options.index, ts) : undefined;
  const upload = async (what: "syncLog" | "buildLog" | "report", file: string, key: string | undefined, contentType?: string): Promise<ArtifactLocation> => {
    if (!existsSync(file)) return {};
    const location: ArtifactLocation = { local: file };
    if (!options.logStore || !key) return location;
    try {
      location.uploaded = await options.logStore.put(key, file, contentType ? { contentType } : {});
      emit({ type: "upload", what, location: location.uploaded });
    } catch (error) {
      location.error = redact((error as Error).message);
      emit({ type: "upload-failed", what, error: location.error });
    }
    return location;
  };
  const [syncLog, buildLog] = await Promise.all([upload("syncLog", syncZip, keys?.syncLog), upload("buildLog", buildZip, keys?.buildLog)]);

  // Point each repository at where its logs ended up (the uploaded zip when the upload worked).
  for (const r of results) {
    if (r.logs.syncLog && syncLog.uploaded) r.logs.syncLog = syncLog.uploaded;
    if (r.logs.buildLog && buildLog.uploaded) r.logs.buildLog = buildLog.uploaded;
  }

  const finishedAt = new Date();
  const repoCount = results.length || 1;
  const report: RunReport = {
    version: 1,
    index: options.index,
    ts,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    published: publish,
    batchSize,
    concurrency,
    buildTimeoutMs,
    totals: totalsOf(results),
    overheadMsPerRepo: Math.round((overheadMs / repoCount) * 100) / 100,
    schedulingMsPerRepo: Math.round((residualMs / repoCount) * 100) / 100,
    logs: { syncLog, buildLog, report: { local: reportFile } },
    repos: results,
  };
  if (options.runId) report.runId = options.runId;
  if (options.store && publish) report.store = options.store;
  if (signal?.aborted) report.interrupted = typeof signal.reason === "string" ? signal.reason : "aborted";
  if (keys && options.logStore) report.logs.report.uploaded = options.logStore.locate(keys.report);
  await writeJsonAtomic(reportFile, report);
  if (keys && options.logStore) {
    const uploaded = await upload("report", reportFile, keys.report, "application/json");
    if (uploaded.error) {
      delete report.logs.report.uploaded;
      report.logs.report.error = uploaded.error;
      await writeJsonAtomic(reportFile, report);
    }
  }
  return { report, reportFile, summary: formatSummary(report) };
}
