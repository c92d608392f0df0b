/** Run-level operations on a store: fold pending runs into the state, record a partition's results (plans: plan-open.ts). */
import { abortWindow, stripUserInfo } from "@mass-ingest/core";
import { DEFAULT_MAX_AGE_MS } from "./constants.js";
import { StateError } from "./errors.js";
import { admitResults, rejectionMessage } from "./admit.js";
import { foldInPlace } from "./fold.js";
import { redactLine, secretsOf } from "./ls-remote-output.js";
import type { PartitionResult, ResultEntry, RunManifest, RunState } from "./records.js";
import { resultKey } from "./store/layout.js";
import type { StateStore, UpdateStateOptions } from "./store/state-store.js";

/** The state with `runId` marked pending: its result records are folded at every later `foldPendingRuns`. */
export function withPendingRun(state: RunState, runId: string): RunState {
  return state.pendingRuns.includes(runId) ? state : { ...state, pendingRuns: [...state.pendingRuns, runId] };
}

export interface FoldPendingOptions extends UpdateStateOptions {
  now?: Date;
  /** A pending run older than this is folded one last time and dropped from the pending list. Default 7 days. */
  expireAfterMs?: number;
  /** Also mark this run pending (the run being submitted now). */
  addRun?: string;
  /** Mark these keys' ok builds as still current at `at` (the run's selection found them unchanged). */
  checked?: { keys: readonly string[]; at: string };
  /** Store this rollout record (null: no rollout under way); absent leaves it as it is. */
  rollout?: RunState["rollout"] | null;
}

/** The state with `checkedAt` set on the ok entries of `checked.keys`. */
function markChecked(state: RunState, checked: { keys: readonly string[]; at: string }): RunState {
  const repos = { ...state.repos };
  for (const key of checked.keys) {
    const entry = repos[key];
    if (entry?.outcome === "ok" && !(entry.checkedAt && entry.checkedAt >= checked.at)) repos[key] = { ...entry, checkedAt: checked.at };
  }
  return { ...state, repos };
}

/** True when every planned repository of the manifest has a result entry (whatever its outcome). */
function covered(manifest: RunManifest, done: ReadonlySet<string>): boolean {
  return manifest.partitions.every((p) => p.rows.every((r) => done.has(r.key)));
}

/** Result records folded at a time: no more records held than this (folded into one copy of the state's maps). */
const FOLD_BATCH = 256;

/**
 * Fold a run's result records into `state` as they are read (bounded, see `forEachResult`), in batches, never
 * holding more than one batch of records, and only what the run's manifest allows (`admitResults`; each refusal
 * is a warning naming the key). Without a readable manifest nothing is folded. Returns the new state and the keys
 * that have an admitted result.
 */
async function foldRun(
  store: StateStore,
  state: RunState,
  runId: string,
  manifest: RunManifest | undefined,
  now: Date,
): Promise<{ state: RunState; done: Set<string> }> {
  // one copy of the maps for the whole run, made at the first batch (none when nothing is folded)
  let next = state;
  let batch: PartitionResult[] = [];
  let refused = 0;
  const done = new Set<string>();
  const flush = () => {
    if (!batch.length) return;
    if (next === state) next = { ...state, repos: { ...state.repos }, unreadable: { ...state.unreadable } };
    foldInPlace(next, batch);
    batch = [];
  };
  await store.forEachResult(runId, (result) => {
    if (!manifest) return void refused++;
    const { admitted, rejected } = admitResults(manifest, [result], { now });
    for (const r of rejected) store.warn(rejectionMessage(r, store.location(resultKey(runId, r.partition))));
    for (const a of admitted) for (const e of a.repos) done.add(e.key);
    batch.push(...admitted);
    if (batch.length >= FOLD_BATCH) flush();
  });
  flush();
  if (refused > 0) {
    store.warn(
      `Ignoring the ${refused} result record(s) of run ${runId}: it has no readable manifest (${store.location(`runs/${runId}/manifest.json`)}) to check them against. Its repositories count as not finished.`,
    );
  }
  return { state: next, done };
}

/** The run's manifest; undefined when there is none or it cannot be read (the run is then dropped). I/O errors throw. */
async function readManifestIfAny(store: StateStore, runId: string): Promise<RunManifest | undefined> {
  try {
    return await store.readManifest(runId);
  } catch (error) {
    if (error instanceof StateError && UNREADABLE.has(error.code)) return undefined;
    throw error;
  }
}

const UNREADABLE = new Set(["PLAN_NOT_FOUND", "STATE_CORRUPT", "STATE_FOREIGN", "STATE_VERSION", "INVALID_RUN_ID"]);

/** The state with a run's marks applied (pending, unchanged keys checked, rollout record; `recordRun`). */
export function withRunMarks(state: RunState, marks: Pick<FoldPendingOptions, "addRun" | "checked" | "rollout">): RunState {
  let next = state;
  if (marks.checked) next = markChecked(next, marks.checked);
  if (marks.rollout === null) {
    next = { ...next };
    delete next.rollout;
  } else if (marks.rollout) next = { ...next, rollout: marks.rollout };
  return marks.addRun ? withPendingRun(next, marks.addRun) : next;
}

/**
 * Fold the result records of every pending run into `state` in memory (no state read or write): the body of
 * `foldPendingRuns`, and of a submit's one read-decide-write (`prepareRun`).
 */
export async function foldPendingInto(store: StateStore, state: RunState, options: FoldPendingOptions = {}): Promise<RunState> {
  const now = options.now ?? new Date();
  const expireAfterMs = options.expireAfterMs ?? DEFAULT_MAX_AGE_MS;
  let next = state;
  const pending: string[] = [];
  for (const runId of state.pendingRuns) {
    const manifest = await readManifestIfAny(store, runId);
    const folded = await foldRun(store, next, runId, manifest, now);
    next = folded.state;
    const expired = !manifest || !(now.getTime() - Date.parse(manifest.createdAt) <= expireAfterMs);
    if (!expired && !covered(manifest, folded.done)) pending.push(runId);
  }
  return withRunMarks({ ...next, pendingRuns: pending }, options);
}

/**
 * Fold the result records of every pending run into the state (the chunker's submit and status do this first),
 * as the one writer. Only what the run's manifest allows is folded (`admitResults`; refusals are warnings). A run
 * stays pending until each of its planned repositories has a result, or it expires; a run without a readable
 * manifest is dropped and its records are refused.
 */
export async function foldPendingRuns(store: StateStore, options: FoldPendingOptions = {}): Promise<RunState> {
  return store.updateState((state) => foldPendingInto(store, state, options), options);
}

/** A partition's result record, kept in memory and written whole after each repository. */
export interface ResultRecorder {
  /** Entries of an earlier attempt of the same run and partition (read by `openResultRecorder`). */
  readonly previous: readonly ResultEntry[];
  /** True when an earlier attempt already built `key` ok: skip it (resume). */
  isDone(key: string): boolean;
  /**
   * Add or replace `entry` (by key; credentials stripped from its clone URL and error line) and write the whole
   * record; writes are serialized in call order. A failed write rejects (log it and go on: the next write
   * carries this entry too).
   */
  record(entry: ResultEntry): Promise<void>;
}

/** When a processor's result writes give up: at its run deadline, and a short while after its first SIGTERM. */
export interface RecorderLimits {
  /** The first SIGTERM: the write under way (and any after it) gets `stopWriteMs` more, then every request is aborted. */
  stop?: AbortSignal;
  /** Default 10 000 ms: well inside the processor's STOP_GRACE. */
  stopWriteMs?: number;
  /** The run's deadline: every request still open then is aborted (no SDK retry after it). */
  deadline?: Date;
  /**
   * An AWS Batch array child's role session (`aws:userid`): write under its per-task key, and resume from nothing
   * (its role reads only keys it can name, and an earlier attempt's task is not known to it).
   */
  userId?: string;
}

/** A signal that aborts at the deadline or `stopWriteMs` after `stop` (undefined when neither is set); timers unref'd. */
function writeWindow(limits: RecorderLimits): AbortSignal | undefined {
  const { stop, deadline } = limits;
  if (!stop && !deadline) return undefined;
  const grace = limits.stopWriteMs ?? 10_000;
  return abortWindow({
    ...(deadline ? { endsInMs: deadline.getTime() - Date.now(), endsWhy: `the run's deadline ${deadline.toISOString()} has passed` } : {}),
    stop,
    graceMs: grace,
    stopWhy: `the run was stopped ${grace} ms ago`,
  }).signal;
}

/**
 * Read the partition's record of an earlier attempt (an unreadable one counts as none) and record on top of it.
 * With `limits`, the writes stop at the run's deadline and shortly after the first SIGTERM (no request hangs on).
 */
export async function openResultRecorder(
  store: StateStore,
  runId: string,
  partition: number,
  limits: RecorderLimits = {},
): Promise<ResultRecorder> {
  const signal = writeWindow(limits);
  const earlier = limits.userId ? undefined : await store.readResult(runId, partition);
  const entries = new Map((earlier?.repos ?? []).map((e) => [e.key, e] as const));
  const previous = [...entries.values()];
  const attempts = [...(earlier?.attempts ?? []), new Date().toISOString()];
  let chain: Promise<void> = Promise.resolve();
  return {
    previous,
    isDone: (key) => entries.get(key)?.outcome === "ok",
    record(raw) {
      const entry: ResultEntry = {
        ...raw,
        cloneUrl: stripUserInfo(raw.cloneUrl),
        ...(raw.error !== undefined ? { error: redactLine(raw.error, secretsOf(raw.cloneUrl)) } : {}),
      };
      entries.set(entry.key, entry);
      const snapshot: PartitionResult = { runId, partition, updatedAt: new Date().toISOString(), attempts, repos: [...entries.values()] };
      chain = chain
        .catch(() => {})
        .then(() => store.writeResult(snapshot, { ...(signal ? { signal } : {}), ...(limits.userId ? { userId: limits.userId } : {}) }));
      return chain;
    },
  };
}
