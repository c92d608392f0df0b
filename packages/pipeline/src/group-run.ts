import path from "node:path";
import type { RepoRow } from "@mass-ingest/partition";
import type { LimitFunction } from "p-limit";
import {
  mergeTrace,
  newTraceFile,
  readLockRows,
  readTrace,
  reproducibleOf,
  stageOutcome,
  traceIds,
  traceRowOf,
  type RepoTrace,
  type TraceRow,
  type TraceStage,
} from "./cli/trace.js";
import type { ModRunResult } from "./mod-cli.js";
import type { RepoStatus, StepName, StepRecord } from "./report.js";
import { DEADLINE_RESERVE_MS, type RunContext } from "./run-context.js";
import { KEYS_SUFFIX, workDirName } from "./work-dirs.js";

/** `batchSize` rows that go through the `mod` calls together. */
export interface Group {
  id: string;
  rows: RepoRow[];
  /** The work directory `mod git sync` clones into: named by its repositories' keys (workDirName), not by row. */
  dir: string;
  /** The csv of just these rows. */
  csv: string;
  /** The file beside `dir` listing the keys it holds (so folders of repositories that left the csv can be pruned). */
  keysFile: string;
}

/** Name of a group from its rows: `row-7` or `rows-7-9`. */
function groupId(rows: readonly RepoRow[]): string {
  const first = rows[0]!.row;
  const last = rows[rows.length - 1]!.row;
  return first === last ? `row-${first}` : `rows-${first}-${last}`;
}

/**
 * The repositories cut into groups of `batchSize` rows, each with its work directory (named by its keys: the same
 * folder whatever row the repository is on), csv and keys file under `workRoot`. A key listed twice in the csv gets
 * a second folder (`-2`), so no two groups of a run share one.
 */
export function groupsOf(repos: readonly RepoRow[], batchSize: number, workRoot: string): Group[] {
  const groups: Group[] = [];
  const used = new Set<string>();
  for (let i = 0; i < repos.length; i += batchSize) {
    const rows = repos.slice(i, i + batchSize);
    const base = workDirName(rows);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    const dir = path.join(workRoot, name);
    groups.push({ id: groupId(rows), rows, dir, csv: `${dir}.csv`, keysFile: `${dir}${KEYS_SUFFIX}` });
  }
  return groups;
}

/**
 * One group's way through the stages: the steps it ran, its status and reason, and where its time went (queue
 * waits, CLI calls, our own work) for the report's overhead figures.
 */
export class GroupRun {
  readonly steps: StepRecord[] = [];
  status: RepoStatus = "ok";
  failedStep?: StepName;
  reason?: string;
  interrupted = false;
  /** The commit each row's clone is at after a successful sync, by row number. */
  commits = new Map<number, string>();
  /** The work directory and csv were set up (so they are cleaned up). */
  prepared = false;
  /** Rows that failed (or were skipped) on their own, by trace.csv, while the group went on; a row's first failure wins. */
  readonly rowFailures = new Map<number, { status: RepoStatus; failedStep: StepName; reason: string }>();
  /** What trace.csv said of each row, by row number. */
  readonly traces = new Map<number, RepoTrace>();
  /** The trace ids each traced step's workspace had before the step ran. */
  readonly #traceBefore = new Map<TraceStage, Set<string>>();
  readonly startedAt = performance.now();
  waitedMs = 0;
  childMs = 0;
  ownMs = 0;

  constructor(
    readonly context: RunContext,
    readonly group: Group,
  ) {}

  /** Run `fn` under `limit`, counting the time spent waiting for the slot. */
  async waitFor<T>(limit: LimitFunction, fn: () => Promise<T>): Promise<T> {
    const asked = performance.now();
    return limit(async () => {
      this.waitedMs += performance.now() - asked;
      return fn();
    });
  }

  /** Time our own work (set-up, clean-up). */
  async own(fn: () => Promise<void>): Promise<void> {
    const start = performance.now();
    await fn();
    this.ownMs += performance.now() - start;
  }

  /** Run one `mod` call as `step`, recorded and announced; `env`: variables for this call only. */
  async runStep(
    step: StepName,
    args: string[],
    timeoutMs: number,
    abortable: boolean,
    env?: Record<string, string>,
  ): Promise<ModRunResult> {
    const { cli, dataDir, signal, emit, redact } = this.context;
    const group = this.group.id;
    emit({ type: "step-start", group, step, command: redact(["mod", ...args].join(" ")) });
    if (step === "sync" || step === "build" || step === "publish") this.#traceBefore.set(step, await traceIds(this.group.dir, step));
    const result = await cli.run(args, { cwd: dataDir, timeoutMs, ...(abortable && signal ? { signal } : {}), ...(env ? { env } : {}) });
    this.childMs += result.durationMs;
    const record: StepRecord = { step, exitCode: result.exitCode, durationMs: result.durationMs };
    if (result.signal) record.signal = result.signal;
    if (result.timedOut) record.timedOut = true;
    if (result.aborted) record.aborted = true;
    this.steps.push(record);
    emit({
      type: "step-end",
      group,
      step,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      timedOut: result.timedOut,
      aborted: result.aborted,
    });
    return result;
  }

  /** Mark the group as failed at `step` from a run result. Returns true when the step succeeded. */
  check(step: StepName, result: ModRunResult): boolean {
    if (result.exitCode === 0 && !result.timedOut && !result.aborted) return true;
    this.failedStep = step;
    if (result.aborted) {
      this.status = "skipped";
      this.interrupted = true;
      this.reason = `interrupted during ${step}`;
    } else if (result.timedOut) {
      this.status = "timed-out";
      const { buildTimeoutMs, stepTimeoutsMs } = this.context.limits;
      const limit = step === "build" ? buildTimeoutMs : step === "sync" ? stepTimeoutsMs.sync : stepTimeoutsMs.publish;
      this.reason = `${step} exceeded its ${Math.round(limit / 1000)} s timeout; process tree killed`;
    } else {
      this.status = "failed";
      const tail = result.outputTail.trim().split("\n").slice(-5).join("\n");
      this.reason = `\`${result.commandLine}\` exited ${result.exitCode ?? result.signal ?? "?"}${tail ? `\n${tail}` : ""}`;
    }
    return false;
  }

  /** Forget the failures of `rows` (a whole-group failure too) before their step is tried again. */
  forgive(rows: readonly number[]): void {
    if (this.status === "failed") {
      this.status = "ok";
      delete this.failedStep;
      delete this.reason;
    }
    for (const row of rows) this.rowFailures.delete(row);
  }

  /** The group's rows still going: none once the group failed, else those that have not failed on their own. */
  aliveRows(): RepoRow[] {
    return this.status === "ok" ? this.group.rows.filter((r) => !this.rowFailures.has(r.row)) : [];
  }

  /**
   * Judge a sync, build or publish by the trace.csv it wrote: each row still going takes its `*Outcome` (a row the
   * trace does not list failed). Without a trace, or after a timeout or an abort, the exit code decides for the
   * whole group (check). True when at least one row goes on.
   */
  async judge(step: TraceStage, result: ModRunResult): Promise<boolean> {
    if (result.timedOut || result.aborted) return this.check(step, result);
    const file = await newTraceFile(this.group.dir, step, this.#traceBefore.get(step) ?? new Set());
    const rows = file ? await readTrace(file).catch(() => undefined) : undefined;
    if (!file || !rows) {
      if (file)
        this.context.emit({ type: "warning", message: `${this.group.id}: ${file} could not be read; judging ${step} by its exit code` });
      return this.check(step, result);
    }
    let lock: TraceRow[] | undefined;
    for (const row of this.aliveRows()) {
      const traced = traceRowOf(rows, row, this.group.rows.length);
      if (!traced) {
        this.rowFailures.set(row.row, { status: "failed", failedStep: step, reason: `${row.path} is not in the ${step} trace (${file})` });
        continue;
      }
      this.traces.set(row.row, mergeTrace(this.traces.get(row.row), traced, step));
      const outcome = stageOutcome(traced, step);
      // A built repository's verdict only: a failed build proves nothing about its dependencies.
      if (step === "build" && outcome === "ok") this.#noteReproducible(row, lock ?? (lock = await readLockRows(this.group.dir)));
      if (outcome === "ok") continue;
      const said = traced[`${step}Outcome`] || "(empty)";
      this.rowFailures.set(row.row, {
        status: outcome === "skipped" ? "skipped" : "failed",
        failedStep: step,
        reason: `${step} of ${row.path}: ${step}Outcome ${said} (${file})`,
      });
    }
    return this.aliveRows().length > 0;
  }

  /** Keep the CLI's `reproducible` verdict of a built row (repos-lock.csv) in its trace. */
  #noteReproducible(row: RepoRow, lock: readonly TraceRow[]): void {
    const verdict = reproducibleOf(traceRowOf(lock, row, this.group.rows.length));
    const trace = this.traces.get(row.row);
    if (verdict !== undefined && trace) this.traces.set(row.row, { ...trace, reproducible: verdict });
  }

  /** The group's expected time: the sum of its rows' predictions when every row has one, else the build timeout. */
  estimateMs(): number {
    const { predictedMs, buildTimeoutMs } = this.context.limits;
    const each = this.group.rows.map((r) => predictedMs?.get(r.row));
    return each.every((ms): ms is number => ms !== undefined) ? each.reduce((a, b) => a + b, 0) : buildTimeoutMs;
  }

  /**
   * True (and the group marked not-started) when the group cannot finish before the run's deadline: now plus its
   * estimate plus the upload reserve is past it.
   */
  refusedByDeadline(now = Date.now()): boolean {
    const deadline = this.context.limits.deadline?.getTime();
    if (deadline === undefined || this.steps.length > 0) return false;
    const estimate = this.estimateMs();
    if (now + estimate + DEADLINE_RESERVE_MS <= deadline) return false;
    this.status = "not-started";
    this.failedStep = "sync";
    const left = Math.max(0, Math.round((deadline - now) / 1000));
    this.reason = `not started: ${left} s are left before the run's deadline ${new Date(deadline).toISOString()}, the group needs about ${Math.round(estimate / 1000)} s (+${DEADLINE_RESERVE_MS / 1000} s for uploads)`;
    return true;
  }

  /** The run was interrupted before `step` started: before the first step, the group was never started. */
  interruptedBefore(step: StepName): void {
    this.status = step === "sync" && this.steps.length === 0 ? "not-started" : "skipped";
    this.interrupted = true;
    this.failedStep = step;
    this.reason = `interrupted before ${step}`;
  }

  /** Append this group's sync or build logs to the run's zip (one writer per zip at a time). */
  async collectLogs(kind: "sync-log" | "build-log"): Promise<void> {
    const { files, slots, limits, emit } = this.context;
    const dir = this.group.dir;
    const [limit, args] =
      kind === "sync-log"
        ? [slots.syncLog, ["log", "syncs", "add", dir, files.syncLog, "--last-sync"]]
        : [slots.buildLog, ["log", "builds", "add", dir, files.buildLog, "--last-build"]];
    const result = await this.waitFor(limit, () => this.runStep(kind, args, limits.stepTimeoutsMs.log, false));
    if (result.exitCode !== 0) {
      emit({
        type: "warning",
        message: `${this.group.id}: \`${result.commandLine}\` exited ${result.exitCode ?? result.signal}; its logs are missing from the zip`,
      });
    }
  }
}
