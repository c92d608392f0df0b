import { foldPendingRuns, summarizeRun, type RunSummary, type StateStore } from "@mass-ingest/state";
import type { Io } from "../../io.js";
import { minutes, openStore } from "../../state/store.js";

/** The run ids `target` names: one run, "latest" (the newest run folder), or "all". */
async function runIdsOf(store: StateStore, target: string): Promise<string[]> {
  if (target !== "latest" && target !== "all") return [target];
  const runs = await store.listRuns();
  return target === "all" ? runs : runs.slice(-1);
}

/** One line per run: built ok / failed / timed out / unchanged / not started, predicted against actual makespan. */
export function formatRunSummary(s: RunSummary): string {
  return (
    `run ${s.runId}: ${s.planned} planned: ok ${s.ok}, failed ${s.failed}, timed out ${s.timedOut}, not started ${s.notStarted}; unchanged ${s.unchanged}; ` +
    `makespan predicted ${minutes(s.predictedMakespanMs)}, actual ${minutes(s.actualMakespanMs)}`
  );
}

/**
 * `status` from the state store: fold finished runs into the state, then summarize the run(s). Resolves to the
 * summaries (exit 1 when any repository failed or timed out).
 */
export async function stateStatus(location: string, target: string, io: Io): Promise<RunSummary[]> {
  const store = openStore(location, io.logger, io.env);
  try {
    await foldPendingRuns(store);
    const summaries: RunSummary[] = [];
    for (const runId of await runIdsOf(store, target)) {
      const manifest = await store.readManifest(runId);
      summaries.push(summarizeRun(manifest, await store.readResults(runId), await store.readSelection(runId)));
    }
    return summaries;
  } finally {
    store.close();
  }
}
