/**
 * The select-and-plan step of a run, shared by the chunker's submit (and local executor) and a processor run
 * alone: fold finished runs, read the state, ask the remotes, select what to build, predict and plan by time;
 * then record the run (manifest, selection, pending) in the store.
 */
import { DEFAULTS } from "@mass-ingest/contract";
import { DEFAULT_TIME_BUDGET_MS } from "./constants.js";
import { foldPendingInto, withRunMarks } from "./runs.js";
import { lsRemote, type LsRemoteOptions, type LsRemoteTarget } from "./ls-remote.js";
import { planByTime, type TimePlan } from "./plan.js";
import { predictDurations } from "./predict.js";
import { DEFAULT_QUARANTINE_AFTER, type QuarantineOptions } from "./quarantine.js";
import { planRollout, type RolloutOptions, type RolloutPlan } from "./rollout.js";
import type { RunManifest, RunState } from "./records.js";
import { rowFingerprint, rowKey, type StateRow } from "./rows.js";
import { select, type RemoteHead, type Selection, type SelectRow } from "./select.js";
import { pruneLocalRuns } from "./store/prune.js";
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
  /** `--drift-age` in ms (default 1 day): when a not-reproducible build is redone without a new commit. */
  driftAgeMs?: number;
  /** Per-key max-age jitter share (default ±15 %, `DEFAULT_MAX_AGE_JITTER`; 0: none). */
  maxAgeJitter?: number;
  /** Local stores: remove run folders last written longer ago (`pruneLocalRuns`). Default 90 days, as on S3. */
  runRetentionMs?: number;
  /** At most this many stale rebuilds, oldest first (`select`'s `maxStale`); e.g. rows / max-age days. Default: none. */
  maxStale?: number;
  /** With `maxStale`: top the night up to it with the oldest builds older than half the max age (`select`'s `fillStale`). */
  fillStale?: boolean;
  /** `--full`: build every row; an unreadable state.json is replaced instead of stopping the run. */
  full?: boolean;
  /** `--time-budget` in ms. */
  timeBudgetMs?: number;
  /** `--partition-size`: no partition holds more rows. */
  partitionSize?: number;
  /** Partitions that run at once (local: `--parallel`; Batch: the workers). */
  parallelism?: number;
  /** With `parallelism`: cut the last round small (planByTime's `cutLastRound`; default true, false locally). */
  cutLastRound?: boolean;
  /** The ls-remote pass: concurrency, timeout, git credential environment. */
  lsRemote?: LsRemoteOptions;
  /** Quarantine of repeat failures: after how many failing nights, and how often they are still tried. */
  quarantine?: Omit<QuarantineOptions, "now">;
  /** Staged rollout of fingerprint changes (canary, then spread); `false` rebuilds them all tonight. */
  rollout?: Omit<RolloutOptions, "now"> | false;
  /**
   * Record the run in the same read-decide-write (the chunker's submit): state.json is read and parsed once (local:
   * under the lock; S3: with its ETag), the manifest and selection are written, and the folded state with the run
   * pending is written once, conditional on that read (a lost race plans again from a fresh read). Without it
   * (a dry run) the state is read once and nothing is written; `recordRun` records the run later.
   */
  record?: boolean;
}

/** A run selected and planned, not yet recorded. */
export interface PreparedRun {
  manifest: RunManifest;
  selection: Selection;
  /** Planner warnings: repositories predicted over the time budget on their own. */
  warnings: string[];
  /** How many `git ls-remote` calls were made, and how long the pass took. */
  lsRemote: { calls: number; failed: number; ms: number };
  /** The staged rollout: rows held back for later nights, the record to store, an alert to raise once. */
  rollout: Omit<RolloutPlan, "selection">;
  /** Key and fingerprint per planned row number (the processor records these). */
  rows: Map<number, { key: string; fingerprint: string }>;
  /** With `record`: where the manifest was written (the processors' `--plan`). */
  location?: string;
}

/** True when the selection will look at the remote commit: the last build was ok with the same fingerprint. */
function needsRemote(row: SelectRow, state: RunState, full: boolean, quarantineAfter: number): boolean {
  if (full || row.changeset || row.key in state.unreadable) return false;
  const last = state.repos[row.key];
  if (last === undefined) return false;
  const sameFingerprint = last.fingerprint === row.fingerprint;
  // An ok build's commit decides; with a new fingerprint it only orders a rollout under way (new commits first).
  // A failing repository's commit matters only once it may be quarantined (a new commit releases it).
  if (last.outcome === "ok") return sameFingerprint || state.rollout !== undefined;
  return sameFingerprint && quarantineAfter > 0 && (last.failStreak ?? 0) >= quarantineAfter;
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

/** The remote heads of `targets`; `answered` keeps them across a retried read-decide-write (each asked once). */
async function askRemotes(
  targets: LsRemoteTarget[],
  options: LsRemoteOptions | undefined,
  answered: Map<string, RemoteHead>,
): Promise<{ remote: Map<string, RemoteHead>; ms: number }> {
  const started = Date.now();
  const missing = targets.filter((t) => !answered.has(t.key));
  if (missing.length > 0) for (const [key, head] of await lsRemote(missing, options)) answered.set(key, head);
  const remote = new Map<string, RemoteHead>();
  for (const t of targets) {
    const head = answered.get(t.key);
    if (head) remote.set(t.key, head);
  }
  return { remote, ms: Date.now() - started };
}

function applyRollout(
  selection: Selection,
  state: RunState,
  remote: ReadonlyMap<string, RemoteHead>,
  options: PrepareRunOptions & { now: Date; full: boolean },
): RolloutPlan {
  if (options.rollout === false) return { selection, deferred: [], rollout: undefined };
  const moved = new Set<string>();
  for (const [key, head] of remote) if (head.ok && state.repos[key]?.commit !== head.commit) moved.add(key);
  return planRollout(selection, state, moved, { ...options.rollout, now: options.now, full: options.full });
}

/**
 * Predicted durations; with no duration known yet (a first night) each repository is assumed to take the time
 * budget / `--partition-size`, so partitions fill up to `--partition-size` rows (not 4 rows of a 10-minute guess),
 * and a warning says what was assumed.
 */
function predict(selection: Selection, state: RunState, options: PrepareRunOptions) {
  const size = options.partitionSize ?? DEFAULTS.partitionSize;
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const firstNightMs = Math.max(1, Math.floor(budget / size));
  const predictions = predictDurations(selection.build, state, { defaultMs: firstNightMs });
  const guessed = predictions.filter((p) => p.source === "default").length;
  const assumed = guessed
    ? [
        `No build duration is known yet (first night): assumed ${(firstNightMs / 1000).toFixed(1)} s per repository for ${guessed} repositories (time budget ${(budget / 60_000).toFixed(1)} min / --partition-size ${size}), so partitions hold up to ${size} repositories.`,
      ]
    : [];
  return { predictions, assumed };
}

/**
 * Select and plan a run over the valid rows of its csv, from one read of the state (see `record`). Folds pending
 * runs first, in memory (the store's one writer: call this from the chunker, or from a processor that runs alone).
 * `git ls-remote` is asked only for rows whose decision depends on it (last build ok with the same fingerprint, no
 * changeset): a first run makes no calls.
 */
export async function prepareRun(store: StateStore, rows: readonly StateRow[], options: PrepareRunOptions): Promise<PreparedRun> {
  const now = options.now ?? new Date();
  const full = options.full === true;
  const answered = new Map<string, RemoteHead>();
  return store.withState(
    async (read) => {
      const state = await foldPendingInto(store, read, { now });
      if (!options.record) return { value: await planOn(state, rows, { ...options, now, full }, answered) };
      await pruneLocalRuns(store, {
        now,
        keep: [...state.pendingRuns, options.runId],
        ...(options.runRetentionMs !== undefined ? { retentionMs: options.runRetentionMs } : {}),
      });
      const prepared = await planOn(state, rows, { ...options, now, full }, answered);
      const location = await writeRunRecords(store, prepared);
      const next = { ...withRunMarks(state, runMarks(prepared)), updatedAt: new Date().toISOString() };
      return { value: { ...prepared, location }, state: next };
    },
    { discardUnreadable: full },
  );
}

/** Select and plan from the folded state (no store I/O but the ls-remote pass). */
async function planOn(
  state: RunState,
  rows: readonly StateRow[],
  options: PrepareRunOptions & { now: Date; full: boolean },
  answered: Map<string, RemoteHead>,
): Promise<PreparedRun> {
  const { now, full } = options;
  const { candidates, targets } = selectionCandidates(rows, options.cliVersion);
  const quarantineAfter = options.quarantine?.after ?? DEFAULT_QUARANTINE_AFTER;
  const asked = candidates.filter((r) => needsRemote(r, state, full, quarantineAfter)).map((r) => targets.get(r.key) as LsRemoteTarget);
  const { remote, ms } = await askRemotes(asked, options.lsRemote, answered);
  const selected = select(candidates, state, remote, {
    now,
    full,
    ...(options.maxAgeMs !== undefined ? { maxAgeMs: options.maxAgeMs } : {}),
    ...(options.quarantine ? { quarantine: options.quarantine } : {}),
    ...(options.driftAgeMs !== undefined ? { driftAgeMs: options.driftAgeMs } : {}),
    ...(options.maxAgeJitter !== undefined ? { maxAgeJitter: options.maxAgeJitter } : {}),
    ...(options.maxStale !== undefined ? { maxStale: options.maxStale, fillStale: options.fillStale === true } : {}),
  });
  const { selection, ...rollout } = applyRollout(selected, state, remote, options);
  const { predictions, assumed } = predict(selection, state, options);
  const plan: TimePlan = planByTime(predictions, {
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    ...(options.partitionSize !== undefined ? { maxPartitionSize: options.partitionSize } : {}),
    ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
    ...(options.cutLastRound !== undefined ? { cutLastRound: options.cutLastRound } : {}),
  });
  plan.warnings.unshift(...assumed);
  const manifest: RunManifest = {
    runId: options.runId,
    csv: options.csv,
    createdAt: now.toISOString(),
    timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
    predictedMakespanMs: plan.predictedMakespanMs,
    ...(plan.parallelism !== undefined ? { parallelism: plan.parallelism } : {}),
    partitions: withRemedies(plan.partitions, state),
  };
  const failed = [...remote.values()].filter((h) => !h.ok).length;
  const byRow = new Map(candidates.map((r) => [r.row, { key: r.key, fingerprint: r.fingerprint }] as const));
  return { manifest, selection, rollout, warnings: plan.warnings, lsRemote: { calls: asked.length, failed, ms }, rows: byRow };
}

/** The planned rows with the toolchain remedy the state keeps for them (the processor builds with its JDK). */
function withRemedies(partitions: TimePlan["partitions"], state: RunState): RunManifest["partitions"] {
  return partitions.map((p) => ({
    ...p,
    rows: p.rows.map((r) => {
      const remedy = state.repos[r.key]?.remedy;
      return remedy ? { ...r, remedy } : r;
    }),
  }));
}

/** The run's manifest and selection record; resolves to the manifest's location. */
async function writeRunRecords(store: StateStore, prepared: PreparedRun): Promise<string> {
  const { manifest, selection } = prepared;
  const location = await store.writeManifest(manifest);
  await store.writeSelection({
    runId: manifest.runId,
    createdAt: manifest.createdAt,
    counts: selection.counts,
    unchanged: selection.unchanged,
  });
  return location;
}

/** What recording a run marks in the state: the run pending, its unchanged keys checked, its rollout record. */
const runMarks = (prepared: PreparedRun) => ({
  addRun: prepared.manifest.runId,
  rollout: prepared.rollout.rollout ?? null,
  checked: { keys: prepared.selection.unchanged.map((u) => u.key), at: prepared.manifest.createdAt },
});

/**
 * Record a run prepared without `record`: prune old local runs, write its manifest (the processors' `--plan`)
 * and selection record, and mark the run pending in the state (folded at the next submit or status), folding
 * pending runs again in that update. Resolves to the manifest's location.
 */
export async function recordRun(store: StateStore, prepared: PreparedRun): Promise<string> {
  const location = await writeRunRecords(store, prepared);
  await store.updateState(async (state) => {
    const folded = await foldPendingInto(store, state, runMarks(prepared));
    await pruneLocalRuns(store, { keep: folded.pendingRuns });
    return folded;
  });
  return location;
}
