/**
 * Writing a partition's result record so that two attempts of one partition both survive: read the record with its
 * version token, merge this attempt's entries into it, and write it back conditionally (If-None-Match "*" when
 * there is none, If-Match the token read otherwise); a lost race re-reads and merges again.
 */
import { StateConflictError } from "../errors.js";
import { parseResult, serializeResult } from "../parse.js";
import type { PartitionResult, ResultEntry } from "../records.js";
import type { StateBackend } from "./backend.js";
import { resultKey, taskResultKey } from "./layout.js";

/** Attempts after a lost race before writeResult gives up. */
export const RESULT_WRITE_RETRIES = 8;

const later = (a: ResultEntry, b: ResultEntry) => (Date.parse(b.finishedAt) >= Date.parse(a.finishedAt) ? b : a);

/** `current` and `incoming` merged: every key of either, the later-finished entry per key; attempts of both. */
export function mergeResults(current: PartitionResult | undefined, incoming: PartitionResult): PartitionResult {
  if (!current) return incoming;
  const entries = new Map(current.repos.map((e) => [e.key, e] as const));
  for (const e of incoming.repos) {
    const had = entries.get(e.key);
    entries.set(e.key, had ? later(had, e) : e);
  }
  const attempts = [...new Set([...(current.attempts ?? []), ...(incoming.attempts ?? [])])].sort();
  return {
    ...incoming,
    updatedAt: [current.updatedAt, incoming.updatedAt].sort().at(-1) ?? incoming.updatedAt,
    ...(attempts.length > 0 ? { attempts } : {}),
    repos: [...entries.values()].sort((a, b) => a.row - b.row),
  };
}

export interface MergeWriteOptions {
  /** Stop retrying a lost race once this signal aborts (deadline, SIGTERM); it aborts the S3 requests too. */
  signal?: AbortSignal;
  /**
   * The writer's role session (`aws:userid`, `<role-id>:<task-id>`): write under its own per-task key
   * (`taskResultKey`), the only result key an AWS Batch array child's role may write. Default: the plain key.
   */
  userId?: string;
}

/** Create-or-merge `result` into its record; resolves to what was written. */
export async function writeResultMerged(
  backend: StateBackend,
  result: PartitionResult,
  options: MergeWriteOptions = {},
): Promise<PartitionResult> {
  const key = options.userId ? taskResultKey(result.runId, result.partition, options.userId) : resultKey(result.runId, result.partition);
  for (let attempt = 0; ; attempt++) {
    const request = options.signal ? { signal: options.signal } : {};
    const found = await backend.read(key, request);
    let current: PartitionResult | undefined;
    try {
      current = found ? parseResult(found.text, backend.location(key)) : undefined;
    } catch {
      current = undefined; // an unreadable record is replaced (still conditionally: If-Match its token)
    }
    const merged = mergeResults(current, result);
    try {
      await backend.write(key, serializeResult(merged), found ? { ifMatch: found.token } : { ifNoneMatch: "*" }, request);
      return merged;
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= RESULT_WRITE_RETRIES || options.signal?.aborted) throw error;
    }
  }
}
