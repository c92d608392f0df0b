/**
 * The select-and-plan step of a run, shared by the chunker's submit (and local executor) and a processor run
 * alone: fold finished runs, read the state, ask the remotes, select what to build, predict and plan by time;
 * then record the run (manifest, selection, pending) in the store.
 */
import { DEFAULT_TIME_BUDGET_MS } from "./constants.js";
import { foldPendingRuns } from "./runs.js";
import { lsRemote, type LsRemoteOptions, type LsRemoteTarget } from "./ls-remote.js";
import { planByTime, type TimePlan } from "./plan.js";
import { predictDurations } from "./predict.js";
import type { RunManifest, RunState } from "./records.js";
import { rowFingerprint, rowKey, type StateRow } from "./rows.js";
import { select, type RemoteHead, type Selection, type SelectRow } from "./select.js";
import type { StateStore } from "./store/state-store.js";

export interface PrepareRunOptions {
  runId: string;
  /** The csv this run plans: where the processors read it, its data-row count and sha256. */
  csv: RunManifest["csv"];
  /** The Moderne CLI version the processors build with (`cliVersion`). */
  cliVersion: string;
  now?: Date;
  /** `--max-age` in ms (default 7 days). */
  maxAgeMs?: number;
  /** `--full`: build every row; an unreadable state.json is replaced instead of stopping the run. */
  full?: boolean;
  /** `--time-budget` in ms. */
  timeBudgetMs?: number;
  /** `--partition-size`: no partition holds more rows. */
  partitionSize?: number;
  /** Partitions that run at once (local: `--parallel`; Batch: the workers). */
  parallelism?: number;
  /** The ls-remote pass: concurrency, timeout, git credential environment. */
  lsRemote?: LsRemoteOptions;
}

/** A run selected and planned, not yet recorded. */
export interface PreparedRun {
  manifest: RunManifest;
  selection: Selection;
  /** Planner warnings: repositories predicted over the time budget on their own. */
  warnings: string[];
  /** How many `git ls-remote` calls were made, and how long the pass took. */
  lsRemote: { calls: number; failed: number; ms: number };
  /** Key and fingerprint per planned row number (the processor records these). */
  rows: Map<number, { key: string; fingerprint: string }>;
}

/** True when the selection will look at the remote commit: the last build was ok with the same fingerprint. */
function needsRemote(row: SelectRow, state: RunState, full: boolean): boolean {
  if (full || row.changeset || row.key in state.unreadable) return false;
  const last = state.repos[row.key];
  return last !== undefined && last.outcome === "ok" && last.fingerprint === row.fingerprint;
}

/** The rows as selection sees them, the first row of each repository key only (later ones are the same repository). */
function selectionCandidates(
  rows: readonly StateRow[],
  cliVersion: string,
): { candidates: SelectRow[]; targets: Map<string, LsRemoteTarget> } {
  const seen = new Set<string>();
  const out: SelectRow[] = [];
  const targets = new Map<string, LsRemoteTarget>();
  for (const row of rows) {
    const key = rowKey(row);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ row: row.row, key, fingerprint: rowFingerprint(row, cliVersion), ...(row.changeset ? { changeset: row.changeset } : {}) });
    targets.set(key, { key, url: row.cloneUrl, ...(row.branch ? { branch: row.branch } : {}) });
  }
  return { candidates: out, targets };
}

async function askRemotes(
  targets: LsRemoteTarget[],
  options: LsRemoteOptions | undefined,
): Promise<{ remote: Map<string, RemoteHead>; ms: number }> {
  const started = Date.now();
  const remote = targets.length > 0 ? await lsRemote(targets, options) : new Map<string, RemoteHead>();
  return { remote, ms: Date.now() - started };
}

/**
 * Select and plan a run over the valid rows of its csv. Folds pending runs first (the store's one writer: call
 * this from the chunker, or from a processor that runs alone). `git ls-remote` is asked only for rows whose
 * decision depends on it (last build ok with the same fingerprint, no changeset): a first run makes no calls.
 */
export async function prepareRun(store: StateStore, rows: readonly StateRow[], options: PrepareRunOptions): Promise<PreparedRun> {
  const now = options.now ?? new Date();
  const full = options.full === true;
  await foldPendingRuns(store, { now, discardUnreadable: full });
  const state = await store.readState({ discardUnreadable: full });
  const { candidates, targets } = selectionCandidates(rows, options.cliVersion);
  const asked = candidates.filter((r) => needsRemote(r, state, full)).map((r) => targets.get(r.key) as LsRemoteTarget);
  const { remote, ms } = await askRemotes(asked, options.lsRemote);
  const selection = select(candidates, state, remote, {
    now,
    full,
    ...(options.maxAgeMs !== undefined ? { maxAgeMs: options.maxAgeMs } : {}),
  });
  const plan: TimePlan = planByTime(predictDurations(selection.build, state), {
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    ...(options.partitionSize !== undefined ? { maxPartitionSize: options.partitionSize } : {}),
    ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
  });
  const manifest: RunManifest = {
    runId: options.runId,
    csv: options.csv,
    createdAt: now.toISOString(),
    timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
    predictedMakespanMs: plan.predictedMakespanMs,
    partitions: plan.partitions,
  };
  const failed = [...remote.values()].filter((h) => !h.ok).length;
  const byRow = new Map(candidates.map((r) => [r.row, { key: r.key, fingerprint: r.fingerprint }] as const));
  return { manifest, selection, warnings: plan.warnings, lsRemote: { calls: asked.length, failed, ms }, rows: byRow };
}

/**
 * Record a prepared run: its manifest (the processors' `--plan`), its selection record, and the run as pending
 * in the state (folded at the next submit or status). Resolves to the manifest's location.
 */
export async function recordRun(store: StateStore, prepared: PreparedRun): Promise<string> {
  const { manifest, selection } = prepared;
  const location = await store.writeManifest(manifest);
  await store.writeSelection({
    runId: manifest.runId,
    createdAt: manifest.createdAt,
    counts: selection.counts,
    unchanged: selection.unchanged,
  });
  await foldPendingRuns(store, { addRun: manifest.runId });
  return location;
}
