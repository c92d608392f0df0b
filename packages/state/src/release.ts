/** Operator actions on quarantine: list what is held back, and release a repository by hand (`chunker release`). */
import { normalizeCloneUrl } from "./keys.js";
import { DEFAULT_QUARANTINE_AFTER, streakReached } from "./quarantine.js";
import type { RunState } from "./records.js";
import { foldPendingInto } from "./runs.js";
import type { StateStore } from "./store/state-store.js";

/** A repository held back by quarantine: its key, cause, since when, and its last try. */
export interface QuarantinedRepository {
  key: string;
  cause: string;
  since: string;
  lastTry: string;
  nights: number;
}

/** The repositories whose failure streak reached `after` nights (default 3), longest failing first. */
export function quarantinedRepositories(state: RunState, after = DEFAULT_QUARANTINE_AFTER): QuarantinedRepository[] {
  return Object.entries(state.repos)
    .filter(([, e]) => streakReached(e, after))
    .map(([key, e]) => ({
      key,
      cause: e.cause ?? "unknown",
      since: e.failingSince ?? e.finishedAt,
      lastTry: e.finishedAt,
      nights: e.failStreak ?? 0,
    }))
    .sort((a, b) => a.since.localeCompare(b.since) || a.key.localeCompare(b.key));
}

/** True when `key` is the repository `which` names: its key, or its clone URL (any branch or changeset of it). */
function names(which: string, key: string): boolean {
  if (which === key) return true;
  let url: string;
  try {
    url = normalizeCloneUrl(which);
  } catch {
    return false;
  }
  return key === url || key.startsWith(`${url}#`) || key.startsWith(`${url}@`);
}

/**
 * Ends the failure streak of the repositories `which` names (a state key or a clone URL), so the next night
 * builds them, after folding pending runs into the state. Resolves to the released keys (empty when nothing matched).
 */
export async function releaseRepository(store: StateStore, which: string): Promise<string[]> {
  const released: string[] = [];
  await store.updateState(async (read) => {
    released.length = 0; // re-applied after a lost S3 race
    // the finished runs' results first (a submit's dry run no longer writes its fold): the streak as it is now
    const state = await foldPendingInto(store, read);
    const repos = { ...state.repos };
    for (const [key, entry] of Object.entries(repos)) {
      if (!names(which, key) || entry.failStreak === undefined) continue;
      const { failStreak: _streak, failingSince: _since, ...rest } = entry;
      repos[key] = rest;
      released.push(key);
    }
    return released.length > 0 ? { ...state, repos } : state;
  });
  return released;
}
