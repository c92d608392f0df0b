/** Pruning a local store's run history, with the retention the S3 bucket's lifecycle rule applies to `runs/`. */
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { StateStore } from "./state-store.js";

/** Default retention of run records: 90 days, as the state bucket's `expire-old-run-records` rule. */
export const DEFAULT_RUN_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

export interface PruneRunsOptions {
  /** Run folders last written longer ago are removed. Default 90 days. */
  retentionMs?: number;
  now?: Date;
  /** Runs never removed (the state's pending runs, the run being planned). */
  keep?: Iterable<string>;
}

/**
 * Remove the `runs/<runId>/` folders of a local store last written (their newest file) longer ago than the
 * retention, except the kept ones; S3 stores are left to the bucket's lifecycle rule. Returns the removed run ids.
 */
export async function pruneLocalRuns(store: StateStore, options: PruneRunsOptions = {}): Promise<string[]> {
  if (store.backend.kind !== "local") return [];
  const retention = options.retentionMs ?? DEFAULT_RUN_RETENTION_MS;
  const cutoff = (options.now ?? new Date()).getTime() - retention;
  const keep = new Set(options.keep ?? []);
  const removed: string[] = [];
  for (const runId of await store.listRuns()) {
    if (keep.has(runId)) continue;
    const dir = store.location(`runs/${runId}`);
    if ((await newestWrite(dir)) < cutoff) {
      await rm(dir, { recursive: true, force: true });
      removed.push(runId);
    }
  }
  return removed;
}

async function newestWrite(dir: string): Promise<number> {
  let newest = 0;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const s = await stat(path.join(e.parentPath, e.name)).catch(() => undefined);
    if (s && s.mtimeMs > newest) newest = s.mtimeMs;
  }
  return newest;
}
