/** Which rows to build tonight and why; every other row is `unchanged`. Pure. */
import { DEFAULT_MAX_AGE_MS } from "./constants.js";
import { driftDue } from "./drift.js";
import { maxAgeFor } from "./jitter.js";
import { sameCommit } from "./keys.js";
import { quarantined, type QuarantineOptions } from "./quarantine.js";
import type { RunState, SelectionCounts, StateEntry } from "./records.js";
import { capStale, fillStale } from "./stale-cap.js";

/** One valid row of repos.csv, as selection needs it. */
export interface SelectRow {
  /** 1-based csv row number. */
  row: number;
  /** `repoKey(cloneUrl, { branch, changeset })`. */
  key: string;
  /** `fingerprint({ cliVersion, java, jvmOpts, mavenArgs, gradleArgs })` of this row. */
  fingerprint: string;
  /** The row's changeset (a pinned commit): compared directly, no ls-remote. */
  changeset?: string;
}

/** What `git ls-remote` said for one repository key: its commit, or why there is none. */
export type RemoteHead = { ok: true; commit: string } | { ok: false; kind: LsRemoteErrorKind; message: string };
export type LsRemoteErrorKind = "dns" | "tls" | "auth" | "not-found" | "timeout" | "other";

export type BuildReason = "never-built" | "changed" | "fingerprint-changed" | "failed-last-time" | "stale" | "drift" | "full" | "unknown";

export interface SelectOptions {
  now: Date;
  /** Build again when the last build finished longer ago. Default 7 days. */
  maxAgeMs?: number;
  /** Per-key share the max age is spread by (`maxAgeFor`), so a cohort goes stale over several nights. Default ±15 %. */
  maxAgeJitter?: number;
  /** Build again a not-reproducible last build older than this, even without a new commit (drift.ts). Default 1 day. */
  driftAgeMs?: number;
  /** Build everything (`--full`). */
  full?: boolean;
  /** At most this many stale rebuilds tonight, oldest first (`capStale`); e.g. rows / max-age days. Default: no cap. */
  maxStale?: number;
  /**
   * With `maxStale`: also top the night up to `maxStale` stale rebuilds with the oldest unchanged builds older
   * than half the max age (`fillStale`), so every night rebuilds about rows / max-age days. Default false.
   */
  fillStale?: boolean;
  /** Quarantine of repeat failures (quarantine.ts): `after` nights, then a try every `cadenceMs`. */
  quarantine?: Omit<QuarantineOptions, "now">;
}

export interface Selection {
  /** Rows to build, in row order, with the reason. */
  build: Array<{ row: number; key: string; reason: BuildReason }>;
  /** Rows skipped: nothing changed since the last ok build; `commit` is what the remote (or changeset) said. */
  unchanged: Array<{ row: number; key: string; commit: string }>;
  /** Rows not tried tonight: failing for a cause a rebuild cannot fix, at an unchanged commit. */
  quarantined: Array<{ row: number; key: string; cause: string; since: string }>;
  counts: SelectionCounts;
}

const COUNT_OF: Record<BuildReason, keyof SelectionCounts> = {
  "never-built": "neverBuilt",
  changed: "changed",
  "fingerprint-changed": "fingerprintChanged",
  "failed-last-time": "failedLastTime",
  stale: "stale",
  drift: "drift",
  full: "full",
  unknown: "unknown",
};

type Decision = BuildReason | { commit: string } | { quarantined: StateEntry };

/** The commit a row is at: its changeset, else what ls-remote said (undefined when it said no commit). */
function commitOf(row: Pick<SelectRow, "key" | "changeset">, remote: ReadonlyMap<string, RemoteHead>): string | undefined {
  if (row.changeset) return row.changeset;
  const head = remote.get(row.key);
  return head?.ok ? head.commit : undefined;
}

function decide(row: SelectRow, state: RunState, remote: ReadonlyMap<string, RemoteHead>, options: SelectOptions): Decision {
  if (options.full) return "full";
  if (row.key in state.unreadable) return "unknown";
  const last = state.repos[row.key];
  if (!last) return "never-built";
  if (last.outcome !== "ok") {
    const held =
      last.fingerprint === row.fingerprint && quarantined(last, commitOf(row, remote), { ...options.quarantine, now: options.now });
    return held ? { quarantined: last } : "failed-last-time";
  }
  if (last.fingerprint !== row.fingerprint) return "fingerprint-changed";
  const commit = commitOf(row, remote);
  if (commit === undefined) return "unknown";
  if (last.commit === undefined || !sameCommit(last.commit, commit)) return "changed";
  const age = options.now.getTime() - Date.parse(last.finishedAt);
  if (!(age <= maxAgeFor(row.key, options.maxAgeMs ?? DEFAULT_MAX_AGE_MS, options.maxAgeJitter))) return "stale";
  if (driftDue(last, options.now, options.driftAgeMs)) return "drift";
  return { commit };
}

/**
 * Decide per row: build (never built; remote commit differs; fingerprint differs; last outcome not ok; older
 * than maxAge; full) or skip as unchanged. Any doubt builds: no remote answer for the row, a failed ls-remote,
 * an unreadable state entry, an unparseable finish time.
 */
export function select(
  rows: ReadonlyArray<SelectRow>,
  state: RunState,
  remote: ReadonlyMap<string, RemoteHead>,
  options: SelectOptions,
): Selection {
  const counts: Required<SelectionCounts> = {
    neverBuilt: 0,
    changed: 0,
    fingerprintChanged: 0,
    failedLastTime: 0,
    stale: 0,
    drift: 0,
    full: 0,
    unknown: 0,
    unchanged: 0,
    quarantined: 0,
    rolloutPending: 0,
  };
  const selection: Selection = { build: [], unchanged: [], quarantined: [], counts };
  for (const row of rows) {
    const decision = decide(row, state, remote, options);
    if (typeof decision === "string") {
      selection.build.push({ row: row.row, key: row.key, reason: decision });
      const count = COUNT_OF[decision];
      counts[count] = (counts[count] ?? 0) + 1;
    } else if ("quarantined" in decision) {
      const { cause, failingSince, finishedAt } = decision.quarantined;
      selection.quarantined.push({ row: row.row, key: row.key, cause: cause ?? "unknown", since: failingSince ?? finishedAt });
      counts.quarantined++;
    } else {
      selection.unchanged.push({ row: row.row, key: row.key, commit: decision.commit });
      counts.unchanged++;
    }
  }
  if (options.maxStale === undefined) return selection;
  const byKey = new Map(rows.map((r) => [r.key, r] as const));
  const finishedAt = (key: string) => Date.parse(state.repos[key]?.finishedAt ?? "");
  const capped = capStale(selection, options.maxStale, finishedAt, (key) => commitOf(byKey.get(key) ?? { key }, remote));
  if (!options.fillStale) return capped;
  const olderThan = options.now.getTime() - (options.maxAgeMs ?? DEFAULT_MAX_AGE_MS) / 2;
  return fillStale(capped, options.maxStale, finishedAt, olderThan);
}
