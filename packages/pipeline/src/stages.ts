import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { toCsv } from "@mass-ingest/partition";
import { syncedCommits } from "./commits.js";
import type { GroupRun } from "./group-run.js";
import type { ModRunResult } from "./mod-cli.js";
import { retryDelay, transientFailures, waitToRetry } from "./triage/retry.js";
import { workKey } from "./work-dirs.js";

/**
 * The build of a group, handed to the build stage: `result` resolves to its result (undefined: never started).
 * Wrapped in an object so that awaiting the hand-over does not wait for the build itself.
 */
export interface PendingBuild {
  result: Promise<ModRunResult | undefined>;
}

/**
 * Sync stage, under the pending limit: set up the work directory and csv, `mod git sync`, collect the sync logs,
 * then queue the build. The pending slot is released as soon as the build starts, so at most `maxPending` synced
 * clones wait for a build slot. Resolves to the queued build, or undefined when the group stops here.
 */
export async function syncStage(run: GroupRun): Promise<PendingBuild | undefined> {
  const { slots, signal } = run.context;
  let build: PendingBuild | undefined;
  await run.waitFor(slots.pending, async () => {
    if (signal?.aborted) return run.interruptedBefore("sync");
    if (run.refusedByDeadline()) return;
    if (!(await syncWithRetry(run))) return;
    await run.own(async () => {
      run.commits = await syncedCommits(run.group.dir, run.group.rows);
    });
    if (signal?.aborted) return run.interruptedBefore("build");
    build = await queueBuild(run);
  });
  return build;
}

/**
 * Sync the group; while rows failed for a transient cause (a 5xx, a reset connection from the git host), sync the
 * group again after the retry delay, up to the cap (the whole group: each sync starts from an empty work
 * directory; rows that failed for another cause stay failed). True when a row goes on.
 */
async function syncWithRetry(run: GroupRun): Promise<boolean> {
  const { slots, limits } = run.context;
  for (let attempt = 0; ; attempt++) {
    const syncResult = await run.waitFor(slots.sync, () => sync(run, attempt === 0));
    if (!syncResult) {
      run.interruptedBefore("sync");
      return false;
    }
    if (existsSync(run.group.dir)) await run.collectLogs("sync-log");
    const synced = await run.judge("sync", syncResult);
    const again = attempt < limits.transientRetry.attempts ? transientFailures(run, "sync", syncResult) : [];
    if (again.length === 0 || !(await pauseToRetry(run, "sync", attempt + 1, again))) return synced;
    run.forgive(again);
  }
}

/** Logs the retry of `rows` at `step` (cause `transient`) and waits its delay; false when the run was interrupted meanwhile. */
async function pauseToRetry(run: GroupRun, step: "sync" | "publish", attempt: number, rows: number[]): Promise<boolean> {
  const { limits, emit, signal } = run.context;
  const delayMs = retryDelay(limits.transientRetry, attempt);
  emit({ type: "retry", group: run.group.id, step, attempt, rows, delayMs, cause: "transient" });
  return waitToRetry(delayMs, signal);
}

async function sync(run: GroupRun, first: boolean): Promise<ModRunResult | undefined> {
  const { signal, emit, limits } = run.context;
  const { group } = run;
  if (signal?.aborted) return undefined;
  if (first) emit({ type: "group-start", group: group.id, rows: group.rows.map((r) => r.row) });
  await run.own(async () => {
    await rm(group.dir, { recursive: true, force: true });
    await writeFile(group.csv, toCsv(group.rows));
    await writeFile(group.keysFile, group.rows.map((r) => `${workKey(r)}\n`).join(""));
  });
  run.prepared = true;
  return run.runStep("sync", ["git", "sync", "csv", group.dir, group.csv, "--with-sources"], limits.stepTimeoutsMs.sync, true);
}

/** Queue the build; resolves (to the build's promise) once the build has its slot. */
async function queueBuild(run: GroupRun): Promise<PendingBuild> {
  const { slots, signal, limits } = run.context;
  let result: PendingBuild["result"] | undefined;
  await new Promise<void>((started) => {
    result = run.waitFor(slots.build, async () => {
      started();
      if (signal?.aborted) return undefined;
      return run.runStep("build", ["build", run.group.dir], limits.buildTimeoutMs, true);
    });
  });
  return { result: result! };
}

/**
 * Build and publish stage: wait for the build, publish what built (the rows its trace.csv says succeeded; without a
 * trace, for groups of several rows also after a failed build, as the shell worker did), then collect the build
 * logs. A publish that started is an upload of finished work: it is allowed to complete after an abort.
 */
export async function buildAndPublishStage(run: GroupRun, build: PendingBuild): Promise<void> {
  const buildResult = await build.result;
  if (!buildResult) return run.interruptedBefore("build");
  const built = await run.judge("build", buildResult);
  const partial = !built && run.status === "failed" && run.failedStep === "build" && run.group.rows.length > 1;
  if ((built || partial) && run.context.output.publish) await publishStage(run, built);
  await run.collectLogs("build-log");
}

async function publishStage(run: GroupRun, built: boolean): Promise<void> {
  const { slots, signal, limits, output } = run.context;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) {
      if (built) run.interruptedBefore("publish");
      return;
    }
    const publishResult = await run.waitFor(slots.publish, async () => {
      if (signal?.aborted) return undefined;
      return run.runStep("publish", ["publish", run.group.dir], limits.stepTimeoutsMs.publish, false, output.publishEnv);
    });
    if (!publishResult) {
      if (built) run.interruptedBefore("publish");
      return;
    }
    if (!built) return;
    await run.judge("publish", publishResult);
    // A transient failure (5xx, reset, rate limit) is published again after a delay, up to the cap.
    const again = attempt < limits.transientRetry.attempts ? transientFailures(run, "publish", publishResult) : [];
    if (again.length === 0 || !(await pauseToRetry(run, "publish", attempt + 1, again))) return;
    run.forgive(again);
  }
}

/** Clean-up stage: the group's csv always, its work directory unless kept (not publishing, and a row of it is ok). */
export async function cleanupStage(run: GroupRun): Promise<boolean> {
  const keep = run.context.output.keepWorkDirs && run.aliveRows().length > 0;
  if (run.prepared) {
    await run.own(async () => {
      await rm(run.group.csv, { force: true });
      if (keep) return;
      await rm(run.group.dir, { recursive: true, force: true });
      await rm(run.group.keysFile, { force: true });
    });
  }
  return keep && run.prepared;
}
