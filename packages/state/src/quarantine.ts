/**
 * Quarantine: a repository that fails night after night for a cause a rebuild cannot fix (anything but
 * `transient`) moves to a slower cadence until its next commit or a manual release. Pure; the fold keeps the
 * streak (`failStreakAfter`) and the selection asks `quarantined`.
 *
 * A failure streak counts nights, not builds: a second failure on the same UTC day (a retry run) does not extend
 * it. A transient failure neither extends nor resets it. An ok build ends it.
 */
import type { FailureCause } from "@mass-ingest/contract";
import { sameCommit } from "./keys.js";

/** Defaults: quarantine after 3 failing nights in a row; then build once a week. */
export const DEFAULT_QUARANTINE_AFTER = 3;
export const DEFAULT_QUARANTINE_CADENCE_MS = 7 * 24 * 60 * 60 * 1000;

/** What the state keeps of a failure streak (absent on entries that last built ok). */
export interface FailStreak {
  /** Failing nights in a row, transient failures not counted. */
  failStreak?: number;
  /** Finish time of the first failure of the streak. */
  failingSince?: string;
  /** The last failure's cause. */
  cause?: FailureCause;
}

interface Build {
  outcome: string;
  finishedAt: string;
  cause?: FailureCause;
}

const day = (iso: string) => iso.slice(0, 10);

/** The streak after `current` finished, given the previous entry's streak and finish time. */
export function failStreakAfter(previous: (FailStreak & { finishedAt: string; outcome: string }) | undefined, current: Build): FailStreak {
  if (current.outcome === "ok") return {};
  const before = previous && previous.outcome !== "ok" ? previous : undefined;
  const streak = before?.failStreak ?? 0;
  const cause = current.cause ?? "unknown";
  if (cause === "transient") return { ...(before?.failStreak ? pick(before) : {}), cause };
  const sameNight = before !== undefined && streak > 0 && day(before.finishedAt) === day(current.finishedAt);
  const failStreak = sameNight ? streak : streak + 1;
  return { failStreak, failingSince: streak > 0 && before?.failingSince ? before.failingSince : current.finishedAt, cause };
}

function pick(s: FailStreak): FailStreak {
  return { failStreak: s.failStreak, ...(s.failingSince ? { failingSince: s.failingSince } : {}) };
}

export interface QuarantineOptions {
  now: Date;
  /** Failing nights in a row before quarantine (default 3; 0 turns quarantine off). */
  after?: number;
  /** How often a quarantined repository is still tried (default weekly). */
  cadenceMs?: number;
}

/** True when the entry's failure streak reached quarantine: `after` failing nights in a row (0 or less: never). */
export function streakReached(entry: FailStreak & { outcome: string }, after: number = DEFAULT_QUARANTINE_AFTER): boolean {
  return after > 0 && entry.outcome !== "ok" && (entry.failStreak ?? 0) >= after;
}

/**
 * True when the entry is quarantined tonight: it failed `after` nights in a row for a non-transient cause, its
 * commit is unchanged (`commit` is what the remote says now; unknown counts as unchanged only when the caller has
 * no answer, so pass undefined to build), and its last try is younger than the cadence.
 */
export function quarantined(
  entry: FailStreak & { outcome: string; finishedAt: string; commit?: string },
  commit: string | undefined,
  options: QuarantineOptions,
): boolean {
  if (!streakReached(entry, options.after ?? DEFAULT_QUARANTINE_AFTER)) return false;
  if (commit === undefined || entry.commit === undefined || !sameCommit(entry.commit, commit)) return false;
  const age = options.now.getTime() - Date.parse(entry.finishedAt);
  return age < (options.cadenceMs ?? DEFAULT_QUARANTINE_CADENCE_MS);
}
