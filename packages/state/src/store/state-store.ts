/** The state store: the records of incremental runs in a local directory or under an S3 prefix. */
import type { AwsClientOptions } from "@mass-ingest/core/aws";
import { DEFAULT_LOCK_STALE_MS } from "../constants.js";
import { StateConflictError, StateError } from "../errors.js";
import {
  emptyState,
  parseManifest,
  parseManifestPartition,
  type ManifestHead,
  parseSelection,
  parseState,
  serializeManifest,
  serializeSelection,
  serializeState,
} from "../parse.js";
import type { ManifestPartition, PartitionResult, RunManifest, RunState, SelectionRecord } from "../records.js";
import type { StateBackend } from "./backend.js";
import { manifestKey, RUNS_PREFIX, selectionKey, STATE_KEY } from "./layout.js";
import { localBackend } from "./local.js";
import { writeResultMerged, type MergeWriteOptions } from "./result-merge.js";
import { forEachMergedResult, readPlainResult, type RanTasksLookup, type ResultReader } from "./result-read.js";
import { s3Backend } from "./s3.js";

export interface StateStoreOptions {
  /** S3 client settings (endpoint, region, profile, credentials); S3 locations only. */
  aws?: AwsClientOptions;
  /** Environment for the S3 client's region and endpoint (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Local lock older than this is taken over. Default 10 min. */
  lockStaleMs?: number;
  /** How long to wait for a held local lock before giving up. Default 2 s. */
  lockWaitMs?: number;
  /** Warnings (unreadable result records); default: none. */
  onWarning?: (message: string) => void;
  /**
   * Which ECS tasks AWS Batch ran for a run's partitions (the chunker asks DescribeJobs): a per-task result record
   * is read only when its task ran its partition. Without it every per-task record is refused with a warning.
   */
  ranTasks?: RanTasksLookup;
}

export interface UpdateStateOptions {
  /** S3: attempts after a lost If-Match race before giving up. Default 5. */
  retries?: number;
  /** Start from an empty state when state.json cannot be read (`--full`) instead of throwing. */
  discardUnreadable?: boolean;
}

/** What a `withState` transaction decided: its result, and the state to write (none: write nothing). */
export interface StateDecision<T> {
  /** What `withState` resolves to. */
  value: T;
  /** The state to write, as given (set its `updatedAt`); absent: nothing is written. */
  state?: RunState;
}

export interface StateStore {
  /** The location as given (a directory or s3://bucket/prefix). */
  readonly url: string;
  readonly backend: StateBackend;
  /** Where a record lives, for messages: `location("state.json")`. */
  location(key: string): string;
  /** The state (empty when there is none yet). Throws StateError when state.json is corrupt or foreign. */
  readState(options?: { discardUnreadable?: boolean }): Promise<RunState>;
  /**
   * The one writer's update: read, apply `update`, write back conditionally (local: under the lock file; S3:
   * If-Match the ETag read / If-None-Match "*" for the first write, re-read and re-applied on a lost race).
   */
  updateState(update: (state: RunState) => RunState | Promise<RunState>, options?: UpdateStateOptions): Promise<RunState>;
  /**
   * The one writer's read-decide-write, state.json read and parsed once: `fn` gets the state as read (local: under
   * the lock file; S3: with its ETag) and resolves to `value` and the state to write (`state`, written as given,
   * conditional on that very read), or no `state` to write nothing (a dry run). On a lost race (S3, or a local lock
   * taken over as stale) the write fails and `fn` runs again from a fresh read; nothing is overwritten unseen.
   */
  withState<T>(fn: (state: RunState) => Promise<StateDecision<T>>, options?: UpdateStateOptions): Promise<T>;
  /** Write the run's manifest; resolves to its location (the processor's `--plan`). */
  writeManifest(manifest: RunManifest): Promise<string>;
  /** The run's manifest; StateError "PLAN_NOT_FOUND" when there is none. */
  readManifest(runId: string): Promise<RunManifest>;
  /** The manifest's head and its partition `index` (array-index order), validating only that one; PLAN_NOT_FOUND as above. */
  readManifestPartition(
    runId: string,
    index: number,
  ): Promise<{ manifest: ManifestHead; partitionCount: number; partition: ManifestPartition | undefined }>;
  writeSelection(selection: SelectionRecord): Promise<void>;
  readSelection(runId: string): Promise<SelectionRecord | undefined>;
  /**
   * Write a partition's result record whole (atomic), merged with what is there: another attempt's entries survive
   * (conditional create-or-merge, see `writeResultMerged`). With `options.userId` under that session's per-task key.
   */
  writeResult(result: PartitionResult, options?: MergeWriteOptions): Promise<void>;
  /** A partition's plain result record (not the per-task ones); undefined when there is none or it cannot be read (with a warning). */
  readResult(runId: string, partition: number): Promise<PartitionResult | undefined>;
  /**
   * Every readable result record of a run, one per partition: its plain record and the per-task records whose task
   * AWS Batch ran for it (`ranTasks`), merged (read at most `RESULT_READ_CONCURRENCY` partitions at a time).
   */
  readResults(runId: string): Promise<PartitionResult[]>;
  /**
   * Call `visit` with each readable result record of a run as it arrives (in no set order), reading at most
   * `concurrency` records at a time (default `RESULT_READ_CONCURRENCY`) and holding none after its visit: the
   * fold's way to read 25,000 records without running out of files or memory. Rejects when a visit throws.
   */
  forEachResult(
    runId: string,
    visit: (result: PartitionResult) => void | Promise<void>,
    options?: { concurrency?: number },
  ): Promise<number>;
  /** Run ids that have a folder in the store. */
  listRuns(): Promise<string[]>;
  /** Report a warning through the store's `onWarning` (refused records, unreadable ones). */
  warn(message: string): void;
  close(): void;
}

/**
 * Open the state store at `url`: a local directory (created on the first write) or `s3://bucket/prefix`.
 * Local runs default to `<DATA_DIR>/state`.
 */
export function openStateStore(url: string, options: StateStoreOptions = {}): StateStore {
  const backend = /^s3:\/\//i.test(url)
    ? s3Backend(url, { ...(options.aws ? { aws: options.aws } : {}), ...(options.env ? { env: options.env } : {}) })
    : localBackend(url, { lockStaleMs: options.lockStaleMs ?? DEFAULT_LOCK_STALE_MS, lockWaitMs: options.lockWaitMs ?? 2_000 });
  return storeOn(url, backend, options.onWarning ?? (() => {}), options.ranTasks);
}

async function readStateVersioned(
  backend: StateBackend,
  warn: (message: string) => void,
  discardUnreadable = false,
): Promise<{ state: RunState; token?: string }> {
  const current = await backend.read(STATE_KEY);
  if (!current) return { state: emptyState() };
  try {
    return { state: parseState(current.text, backend.location(STATE_KEY)), token: current.token };
  } catch (error) {
    if (discardUnreadable && error instanceof StateError) {
      warn(`${error.message} Starting from an empty state (--full); the file is replaced at the next write.`);
      return { state: emptyState(), token: current.token };
    }
    throw error;
  }
}

async function withState<T>(
  backend: StateBackend,
  warn: (message: string) => void,
  fn: (state: RunState) => Promise<StateDecision<T>>,
  options: UpdateStateOptions = {},
): Promise<T> {
  const retries = options.retries ?? 5;
  return backend.withStateLock(async () => {
    for (let attempt = 0; ; attempt++) {
      const { state, token } = await readStateVersioned(backend, warn, options.discardUnreadable);
      const decided = await fn(state);
      if (decided.state === undefined) return decided.value;
      try {
        await backend.write(STATE_KEY, serializeState(decided.state), token === undefined ? { ifNoneMatch: "*" } : { ifMatch: token });
        return decided.value;
      } catch (error) {
        if (!(error instanceof StateConflictError)) throw error;
        if (attempt >= retries) {
          throw new StateConflictError(
            `${backend.location(STATE_KEY)} changed under this chunker ${attempt + 1} times in a row: another mass-ingest chunker is updating the state at the same time.`,
            { hint: "Let the other run finish, then run again (this one changed nothing).", cause: error },
          );
        }
      }
    }
  });
}

function updateState(
  backend: StateBackend,
  warn: (message: string) => void,
  update: (state: RunState) => RunState | Promise<RunState>,
  options: UpdateStateOptions = {},
): Promise<RunState> {
  return withState(
    backend,
    warn,
    async (state) => {
      const next = { ...(await update(state)), updatedAt: new Date().toISOString() };
      return { state: next, value: next };
    },
    options,
  );
}

async function manifestText(backend: StateBackend, runId: string): Promise<string> {
  const found = await backend.read(manifestKey(runId));
  if (!found) {
    throw new StateError("PLAN_NOT_FOUND", `There is no run manifest at ${backend.location(manifestKey(runId))}.`, {
      hint: "Check the run id and the state location; the chunker writes the manifest when it submits a run.",
    });
  }
  return found.text;
}

function storeOn(url: string, backend: StateBackend, warn: (message: string) => void, ranTasks?: RanTasksLookup): StateStore {
  const reader: ResultReader = { backend, warn, ranTasks };
  return {
    url,
    backend,
    location: (key) => backend.location(key),
    readState: async (options = {}) => (await readStateVersioned(backend, warn, options.discardUnreadable)).state,
    updateState: (update, options) => updateState(backend, warn, update, options),
    withState: (fn, options) => withState(backend, warn, fn, options),
    async writeManifest(manifest) {
      await backend.write(manifestKey(manifest.runId), serializeManifest(manifest));
      return backend.location(manifestKey(manifest.runId));
    },
    readManifest: async (runId) => parseManifest(await manifestText(backend, runId), backend.location(manifestKey(runId))),
    readManifestPartition: async (runId, index) =>
      parseManifestPartition(await manifestText(backend, runId), backend.location(manifestKey(runId)), index),
    writeSelection: async (selection) => {
      await backend.write(selectionKey(selection.runId), serializeSelection(selection));
    },
    async readSelection(runId) {
      const found = await backend.read(selectionKey(runId));
      return found ? parseSelection(found.text, backend.location(selectionKey(runId))) : undefined;
    },
    writeResult: async (result, options) => {
      await writeResultMerged(backend, result, options);
    },
    readResult: (runId, partition) => readPlainResult(reader, runId, partition),
    async readResults(runId) {
      const results: PartitionResult[] = [];
      await forEachMergedResult(reader, runId, (r) => void results.push(r));
      return results.sort((a, b) => a.partition - b.partition);
    },
    forEachResult: (runId, visit, options = {}) => forEachMergedResult(reader, runId, visit, options.concurrency),
    async listRuns() {
      const keys = await backend.list(RUNS_PREFIX);
      return [...new Set(keys.map((k) => k.split("/")[1]).filter((r): r is string => !!r))].sort();
    },
    warn,
    close: () => backend.close(),
  };
}
