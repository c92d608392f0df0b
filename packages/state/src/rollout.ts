/**
 * Staged rollout of a fingerprint change (a CLI upgrade, a new JDK or build option): instead of rebuilding every
 * repository on one night, build a canary first, compare its failure rate with the night before, then spread the
 * rest over the following nights, or stop and alert once. Pure: `planRollout` takes tonight's selection and the
 * state's rollout record and returns the trimmed selection and the next record (which the caller stores).
 *
 * Only rows selected as `fingerprint-changed` take part: a new commit, a failure, a never-built repository are
 * built as before. `--full` overrides all of this (the selection then has no fingerprint-changed rows).
 */
import { keyHash } from "./keys.js";
import type { RunState, StateEntry } from "./records.js";
import type { Selection } from "./select.js";

export interface Rollout {
  status: "canary" | "spreading" | "stopped";
  startedAt: string;
  /** Keys of the canary repositories. */
  canary: string[];
  /** Failure share of the last night before the rollout (the baseline the canary is compared with). */
  baselineFailureRate: number;
  /** Canary failure share once every canary finished. */
  canaryFailureRate?: number;
  spreadStartedAt?: string;
  /** Set when the stop was alerted (once). */
  alertedAt?: string;
}

export interface RolloutOptions {
  now: Date;
  /** Share of the changed repositories in the canary (default 2 %), at least `canaryMin` (default 20). */
  canaryShare?: number;
  canaryMin?: number;
  /** Nights over which the rest is spread (default 7). */
  nights?: number;
  /** How much worse than the baseline the canary may fail (default 0.1 = 10 percentage points). */
  threshold?: number;
  /** Below this many fingerprint-changed rows, no rollout: build them tonight (default: the canary size). */
  minimum?: number;
}

export interface RolloutPlan {
  /** Tonight's selection: fingerprint-changed rows not in tonight's share moved to `deferred`. */
  selection: Selection;
  /** Rows held back for a later night of the rollout. */
  deferred: Array<{ row: number; key: string }>;
  /** The record to store (undefined: no rollout under way). */
  rollout: Rollout | undefined;
  /** Set once, on the night the rollout stops: what to alert. */
  alert?: string;
}

const DAY_MS = 86_400_000;

/** A canary across the variety of the fleet: round-robin over the old fingerprints (build tool, JDK, options). */
function sampleCanary(keys: string[], state: RunState, size: number): string[] {
  const groups = new Map<string, string[]>();
  for (const key of [...keys].sort((a, b) => keyHash(a) - keyHash(b))) {
    const group = state.repos[key]?.fingerprint ?? "";
    const list = groups.get(group);
    if (list) list.push(key);
    else groups.set(group, [key]);
  }
  const lists = [...groups.values()];
  const out: string[] = [];
  for (let i = 0; out.length < size && lists.some((l) => i < l.length); i++) {
    for (const list of lists) if (i < list.length && out.length < size) out.push(list[i]!);
  }
  return out;
}

/** Failure share of the most recent run in the state (the night before the rollout). */
function lastNightFailureRate(state: RunState): number {
  const entries = Object.values(state.repos);
  const latest = entries.reduce<StateEntry | undefined>((a, e) => (!a || e.finishedAt > a.finishedAt ? e : a), undefined);
  if (!latest) return 0;
  const night = entries.filter((e) => e.runId === latest.runId);
  return night.filter((e) => e.outcome !== "ok").length / night.length;
}

/** Failure share of the canary once each canary has a build newer than the rollout's start; undefined before. */
function canaryRate(rollout: Rollout, state: RunState): number | undefined {
  const built = rollout.canary.map((k) => state.repos[k]).filter((e) => e !== undefined && e.finishedAt >= rollout.startedAt);
  if (built.length < rollout.canary.length) return undefined;
  return built.filter((e) => e!.outcome !== "ok").length / Math.max(1, built.length);
}

function start(changed: string[], state: RunState, options: RolloutOptions): Rollout | undefined {
  const size = Math.max(options.canaryMin ?? 20, Math.ceil((options.canaryShare ?? 0.02) * changed.length));
  if (changed.length <= (options.minimum ?? size)) return undefined;
  const canary = sampleCanary(changed, state, size);
  return { status: "canary", startedAt: options.now.toISOString(), canary, baselineFailureRate: lastNightFailureRate(state) };
}

/** The rollout after tonight's look at the canary: still waiting, spreading, or stopped (with the alert text). */
function judge(rollout: Rollout, state: RunState, options: RolloutOptions): { rollout: Rollout; alert?: string } {
  if (rollout.status !== "canary") return { rollout };
  const rate = canaryRate(rollout, state);
  if (rate === undefined) return { rollout };
  const now = options.now.toISOString();
  if (rate > rollout.baselineFailureRate + (options.threshold ?? 0.1)) {
    const failing = rollout.canary.filter((k) => state.repos[k]?.outcome !== "ok");
    const causes = new Map<string, string[]>();
    for (const key of failing) {
      const cause = state.repos[key]?.cause ?? "unknown";
      const list = causes.get(cause);
      if (list) list.push(key);
      else causes.set(cause, [key]);
    }
    const byCause = [...causes].map(([cause, keys]) => `${cause}: ${keys.length} (${keys.slice(0, 5).join(", ")})`).join("; ");
    const alert =
      `rollout stopped: ${failing.length} of ${rollout.canary.length} canary repositories failed ` +
      `(${pct(rate)} against ${pct(rollout.baselineFailureRate)} the night before). By cause: ${byCause}`;
    return { rollout: { ...rollout, status: "stopped", canaryFailureRate: rate, alertedAt: now }, alert };
  }
  return { rollout: { ...rollout, status: "spreading", canaryFailureRate: rate, spreadStartedAt: now } };
}

const pct = (rate: number) => `${Math.round(rate * 1000) / 10} %`;

/** Tonight's share of the changed rows: the canary, an even slice of the rest, or (stopped) only new commits. */
function tonight(rollout: Rollout, changed: string[], commitChanged: ReadonlySet<string>, options: RolloutOptions): Set<string> {
  if (rollout.status === "canary") return new Set(rollout.canary);
  const fresh = changed.filter((k) => commitChanged.has(k));
  if (rollout.status === "stopped") return new Set(fresh);
  const nightsDone = Math.floor((options.now.getTime() - Date.parse(rollout.spreadStartedAt ?? rollout.startedAt)) / DAY_MS);
  const quota = Math.ceil(changed.length / Math.max(1, (options.nights ?? 7) - nightsDone));
  const ordered = [...fresh, ...changed.filter((k) => !commitChanged.has(k)).sort((a, b) => keyHash(a) - keyHash(b))];
  return new Set(ordered.slice(0, Math.max(quota, fresh.length)));
}

/**
 * Applies the rollout to tonight's selection. `commitChanged` holds the keys whose remote commit moved (built
 * first while spreading, and even while stopped: the image has only the new CLI). `full` ends any rollout.
 */
export function planRollout(
  selection: Selection,
  state: RunState,
  commitChanged: ReadonlySet<string>,
  options: RolloutOptions & { full?: boolean },
): RolloutPlan {
  const changed = selection.build.filter((b) => b.reason === "fingerprint-changed").map((b) => b.key);
  const current = options.full ? undefined : (state.rollout ?? start(changed, state, options));
  if (!current) return { selection, deferred: [], rollout: undefined };
  const { rollout, alert } = judge(current, state, options);
  if (rollout.status === "spreading" && changed.length === 0) return { selection, deferred: [], rollout: undefined };
  const share = tonight(rollout, changed, commitChanged, options);
  const waits = (b: Selection["build"][number]) => b.reason === "fingerprint-changed" && !share.has(b.key);
  const keep = selection.build.filter((b) => !waits(b));
  const deferred = selection.build.filter(waits).map(({ row, key }) => ({ row, key }));
  const counts = {
    ...selection.counts,
    fingerprintChanged: selection.counts.fingerprintChanged - deferred.length,
    rolloutPending: deferred.length,
  };
  return { selection: { ...selection, build: keep, counts }, deferred, rollout, ...(alert ? { alert } : {}) };
}
