/**
 * Freshness per repository: how old the LST is that Moderne holds of it. An ok build's LST is fresh as of the
 * later of its build and the last run that found its commit unchanged. A target (e.g. 24 hours) counts the
 * repositories outside it, each with the reason: quarantined, failing, rollout pending, or over budget (an ok
 * build no run has checked or rebuilt since: not reached in time, or not run at all). Pure.
 */
import { DEFAULT_QUARANTINE_AFTER } from "./quarantine.js";
import type { RunState, StateEntry } from "./records.js";

export type StaleReason = "quarantined" | "failing" | "rollout-pending" | "over-budget";

export interface Freshness {
  targetMs: number;
  /** Repositories in the state. */
  total: number;
  /** Repositories whose LST is older than the target (or that have none), by reason. */
  outside: number;
  byReason: Record<StaleReason, number>;
  /** Age in ms of the freshest half and of the oldest LST (null when no repository has one). */
  medianAgeMs: number | null;
  maxAgeMs: number | null;
  /** The repositories outside the target, oldest first; `ageMs` null when no ok build ever made an LST. */
  repos: Array<{ key: string; ageMs: number | null; reason: StaleReason; cause?: string }>;
}

export interface FreshnessOptions {
  now: Date;
  /** Default 24 hours. */
  targetMs?: number;
  /** Failing nights that make a repository quarantined (default 3, as the selection). */
  quarantineAfter?: number;
}

export const DEFAULT_FRESHNESS_TARGET_MS = 24 * 60 * 60 * 1000;

/** When the entry's LST was last known current; undefined when it never built ok. */
function freshAt(e: StateEntry): number | undefined {
  const times = [e.outcome === "ok" ? e.finishedAt : e.lastOkAt, e.outcome === "ok" ? e.checkedAt : undefined]
    .filter((t): t is string => t !== undefined)
    .map((t) => Date.parse(t))
    .filter((t) => Number.isFinite(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

function reasonOf(key: string, e: StateEntry, state: RunState, after: number): StaleReason {
  if (e.outcome !== "ok") return after > 0 && (e.failStreak ?? 0) >= after ? "quarantined" : "failing";
  const rollout = state.rollout;
  if (rollout && e.finishedAt < rollout.startedAt && !rollout.canary.includes(key)) return "rollout-pending";
  return "over-budget";
}

export function freshness(state: RunState, options: FreshnessOptions): Freshness {
  const targetMs = options.targetMs ?? DEFAULT_FRESHNESS_TARGET_MS;
  const after = options.quarantineAfter ?? DEFAULT_QUARANTINE_AFTER;
  const now = options.now.getTime();
  const byReason: Record<StaleReason, number> = { quarantined: 0, failing: 0, "rollout-pending": 0, "over-budget": 0 };
  const ages: number[] = [];
  const repos: Freshness["repos"] = [];
  for (const [key, e] of Object.entries(state.repos)) {
    const at = freshAt(e);
    const ageMs = at === undefined ? null : Math.max(0, now - at);
    if (ageMs !== null) ages.push(ageMs);
    if (ageMs !== null && ageMs <= targetMs) continue;
    const reason = reasonOf(key, e, state, after);
    byReason[reason]++;
    repos.push({ key, ageMs, reason, ...(e.outcome !== "ok" && e.cause ? { cause: e.cause } : {}) });
  }
  ages.sort((a, b) => a - b);
  repos.sort((a, b) => (b.ageMs ?? Infinity) - (a.ageMs ?? Infinity) || a.key.localeCompare(b.key));
  return {
    targetMs,
    total: Object.keys(state.repos).length,
    outside: repos.length,
    byReason,
    medianAgeMs: ages.length > 0 ? ages[Math.floor((ages.length - 1) / 2)]! : null,
    maxAgeMs: ages.length > 0 ? ages[ages.length - 1]! : null,
    repos,
  };
}
