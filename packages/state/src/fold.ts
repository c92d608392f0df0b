/** Folding finished repositories' results into the state. Pure. */
import { failStreakAfter } from "./quarantine.js";
import type { PartitionResult, ResultEntry, RunState, StateEntry } from "./records.js";

const totalMs = (d: ResultEntry["durations"]) => (d.syncMs ?? 0) + (d.buildMs ?? 0) + (d.publishMs ?? 0);

function entryFrom(result: ResultEntry, runId: string, previous: StateEntry | undefined): StateEntry {
  const lastOkMs = result.outcome === "ok" ? totalMs(result.durations) : previous?.lastOkMs;
  const lastOkAt = result.outcome === "ok" ? result.finishedAt : previous?.lastOkAt;
  return {
    ...(result.commit !== undefined ? { commit: result.commit } : {}),
    fingerprint: result.fingerprint,
    outcome: result.outcome,
    durations: result.durations,
    finishedAt: result.finishedAt,
    ...(result.logs !== undefined ? { logs: result.logs } : {}),
    ...(result.reproducible !== undefined ? { reproducible: result.reproducible } : {}),
    runId,
    ...(lastOkMs !== undefined ? { lastOkMs } : {}),
    ...(lastOkAt !== undefined ? { lastOkAt } : {}),
    ...failStreakAfter(previous, result),
    ...remedyAfter(result),
  };
}

/** A remedy is kept while it builds (or fails for a transient cause); a failed remedy, or none used, ends it. */
function remedyAfter(result: ResultEntry): Pick<StateEntry, "remedy"> {
  const holds = result.remedy && (result.outcome === "ok" || result.cause === "transient");
  return holds ? { remedy: result.remedy } : {};
}

/**
 * The state with every result entry folded in: an entry replaces the state's entry for its key when it finished
 * later (so folding the same records twice, or an older run after a newer one, changes nothing). A folded entry
 * also replaces an unreadable one. `lastOkMs` (the last ok build's sync+build+publish) survives failed builds.
 */
export function fold(state: RunState, results: ReadonlyArray<PartitionResult>): RunState {
  const next = { ...state, repos: { ...state.repos }, unreadable: { ...state.unreadable } };
  foldInPlace(next, results);
  return next;
}

/**
 * `fold` into `state`'s own maps (they are changed): for a caller that folds batch after batch into one copy it
 * made, instead of copying 100,000 entries once per batch.
 */
export function foldInPlace(state: RunState, results: ReadonlyArray<PartitionResult>): void {
  const { repos, unreadable } = state;
  for (const result of results) {
    for (const entry of result.repos) {
      const previous = repos[entry.key];
      if (previous && Date.parse(previous.finishedAt) >= Date.parse(entry.finishedAt)) continue;
      repos[entry.key] = entryFrom(entry, result.runId, previous);
      delete unreadable[entry.key];
    }
  }
}
