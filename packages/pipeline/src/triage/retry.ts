/**
 * Retry by cause, within the run: a repository whose sync or publish failed for a `transient` cause (a 5xx, a reset
 * connection, a rate limit: docs/triage.md) is synced or published again after a delay, up to a cap. A cause a retry cannot
 * fix (auth, not-found, toolchain, ...) is not retried tonight.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ModStep } from "@mass-ingest/contract";
import type { GroupRun } from "../group-run.js";
import type { ModRunResult } from "../mod-cli.js";
import { classifyFailure } from "./classify.js";

/** How often a transient failure is retried in the same run, and how long to wait before each retry. */
export interface TransientRetry {
  attempts: number;
  /** Delay before retry n (the last one repeats). */
  delaysMs: readonly number[];
}

/** Default: two retries, after 15 s and after 60 s. */
export const DEFAULT_TRANSIENT_RETRY: TransientRetry = { attempts: 2, delaysMs: [15_000, 60_000] };

/** The delay before retry `attempt` (1-based). */
export const retryDelay = (retry: TransientRetry, attempt: number): number =>
  retry.delaysMs[Math.min(attempt, retry.delaysMs.length) - 1] ?? 0;

/**
 * The rows whose failure at `step` is transient, judged from each row's reason and the call's output (its lines
 * about that repository when there are any, else all of them). A whole-group failure (no trace) counts for every
 * row of the group.
 */
export function transientFailures(run: GroupRun, step: ModStep, result: ModRunResult): number[] {
  const lines = result.outputTail.split(/\r?\n/).filter((l) => l.trim() !== "");
  const transient = (reason: string, path?: string) => {
    const own = path ? lines.filter((l) => l.includes(path)) : [];
    return classifyFailure({ outcome: "failed", step, lines: [reason, ...(own.length > 0 ? own : lines)] }).cause === "transient";
  };
  if (run.status === "failed" && run.failedStep === step) return transient(run.reason ?? "") ? run.group.rows.map((r) => r.row) : [];
  const rows: number[] = [];
  for (const [row, failure] of run.rowFailures) {
    if (failure.failedStep !== step || failure.status !== "failed") continue;
    if (transient(failure.reason, run.group.rows.find((r) => r.row === row)?.path)) rows.push(row);
  }
  return rows;
}

/** Waits before a retry; false when the run was interrupted meanwhile. */
export async function waitToRetry(delayMs: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(delayMs, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
}
