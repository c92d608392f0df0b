import { countOf } from "@mass-ingest/contract";
import {
  closeRun,
  foldPendingRuns,
  readClosedRun,
  summarizeRun,
  type PartitionResult,
  type RunSummary,
  type StateStore,
} from "@mass-ingest/state";
import type { Io } from "../../io.js";
import { minutes, openStore } from "../../state/store.js";

/** The run ids `target` names: one run, "latest" (the newest run folder), or "all". */
async function runIdsOf(store: StateStore, target: string): Promise<string[]> {
  if (target !== "latest" && target !== "all") return [target];
  const runs = await store.listRuns();
  return target === "all" ? runs : runs.slice(-1);
}

/** A repository of a run that failed or timed out, with the first line of its error. */
export interface RunFailure {
  row: number;
  cloneUrl: string;
  outcome: "failed" | "timed-out";
  cause: string;
}

/** A run's summary and the repositories that failed or timed out (the latest result of each, by row). */
export type RunStatusSummary = RunSummary & { failures: RunFailure[] };

/** Repositories named under a run's line; the rest are counted (`--json` has all). */
const FAILURES_SHOWN = 20;

/** Whether `status` exits 1 for this run: something failed or timed out, or a planned repository has no result (interrupted, never ran). */
export const runNotOk = (s: RunSummary): boolean => s.failed + s.timedOut + s.notStarted > 0;

/** The failed and timed-out repositories of a run: the latest result per repository key, in row order. */
export function failuresOf(results: readonly PartitionResult[]): RunFailure[] {
  const latest = new Map<string, PartitionResult["repos"][number]>();
  for (const entry of results.flatMap((r) => r.repos)) {
    const seen = latest.get(entry.key);
    if (!seen || Date.parse(seen.finishedAt) <= Date.parse(entry.finishedAt)) latest.set(entry.key, entry);
  }
  return [...latest.values()]
    .filter((e) => e.outcome === "failed" || e.outcome === "timed-out")
    .map((e) => ({
      row: e.row,
      cloneUrl: e.cloneUrl,
      outcome: e.outcome as RunFailure["outcome"],
      cause: (e.error ?? "").split(/\r?\n/, 1)[0]!.trim() || "(no error recorded)",
    }))
    .sort((a, b) => a.row - b.row);
}

/**
 * One line per run: built ok / failed / timed out / unchanged / not started, predicted against actual makespan;
 * then each failed repository with the first line of its cause, and a last line when the run did not finish.
 */
export function formatRunSummary(s: RunStatusSummary): string {
  const head =
    `run ${s.runId}: ${countOf(s.planned, "repository", "repositories")} planned: ok ${s.ok}, failed ${s.failed}, timed out ${s.timedOut}, not started ${s.notStarted}; unchanged ${s.unchanged}; ` +
    `makespan predicted ${minutes(s.predictedMakespanMs)}, actual ${minutes(s.actualMakespanMs)}`;
  const lines = s.failures
    .slice(0, FAILURES_SHOWN)
    .map((f) => `  ${f.outcome === "timed-out" ? "timed out" : "failed"}: row ${f.row} ${f.cloneUrl}: ${f.cause}`);
  if (s.failures.length > FAILURES_SHOWN) lines.push(`  ... and ${s.failures.length - FAILURES_SHOWN} more (--json lists all)`);
  if (s.closed)
    lines.push(
      `  closed ${s.closed.closedAt} (${s.closed.reason}): ${countOf(s.notStarted, "planned repository", "planned repositories")} never reached, recorded not-started (${countOf(s.closed.partitions.length, "partition", "partitions")}: ${s.closed.partitions.join(", ")})`,
    );
  else if (s.notStarted > 0)
    lines.push(
      `  ${countOf(s.notStarted, "planned repository has", "planned repositories have")} no result: the run is still going, was interrupted or never ran (status --close ends a run that never will)`,
    );
  return [head, ...lines].join("\n");
}

/**
 * `status` from the state store: fold finished runs into the state, then summarize the run(s). Resolves to the
 * summaries (exit 1 when any repository failed, timed out or has no result).
 */
export async function stateStatus(location: string, target: string, io: Io): Promise<RunStatusSummary[]> {
  const store = openStore(location, io.logger, io.env);
  try {
    await foldPendingRuns(store);
    const summaries: RunStatusSummary[] = [];
    for (const runId of await runIdsOf(store, target)) {
      const manifest = await store.readManifest(runId);
      const results = await store.readResults(runId);
      const summary = summarizeRun(manifest, results, await store.readSelection(runId), await readClosedRun(store, runId));
      summaries.push({ ...summary, failures: failuresOf(results) });
    }
    return summaries;
  } finally {
    store.close();
  }
}

/** `status --close`: close one run (an id or latest) of the store; resolves to the line saying what was recorded. */
export async function closeStateRun(location: string, target: string, reason: string | undefined, io: Io): Promise<string> {
  const store = openStore(location, io.logger, io.env);
  try {
    const [runId] = await runIdsOf(store, target);
    if (!runId) return `no runs in ${location}: nothing to close`;
    const closed = await closeRun(store, runId, reason ? { reason } : {});
    const repos = closed.notReached.reduce((n, p) => n + p.rows.length, 0);
    return `run ${runId} closed: ${countOf(repos, "planned repository", "planned repositories")} in ${countOf(closed.notReached.length, "partition", "partitions")} never reached, recorded not-started`;
  } finally {
    store.close();
  }
}
