/** A cap on tonight's stale rebuilds, oldest first: steady nights after a big first night. Pure. */
import type { Selection } from "./select.js";

/**
 * The selection with at most `cap` stale rebuilds: the oldest builds (an unreadable finish time counts as
 * oldest and is always built) are kept, the others are skipped as unchanged tonight (at the commit the remote
 * reported) and come first on a later night. Other reasons are never capped.
 */
export function capStale(
  selection: Selection,
  cap: number,
  finishedAt: (key: string) => number,
  commitOf: (key: string) => string | undefined,
): Selection {
  const stale = selection.build.filter((b) => b.reason === "stale");
  if (!(cap >= 0) || stale.length <= cap) return selection;
  const time = (key: string) => {
    const t = finishedAt(key);
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  const oldestFirst = stale.slice().sort((a, b) => time(a.key) - time(b.key) || a.row - b.row);
  const deferred = new Map<number, { row: number; key: string; commit: string }>();
  for (const b of oldestFirst.slice(Math.floor(cap))) {
    const commit = commitOf(b.key);
    if (commit !== undefined && Number.isFinite(time(b.key))) deferred.set(b.row, { row: b.row, key: b.key, commit });
  }
  if (deferred.size === 0) return selection;
  return {
    ...selection,
    build: selection.build.filter((b) => !deferred.has(b.row)),
    unchanged: [...selection.unchanged, ...deferred.values()].sort((a, b) => a.row - b.row),
    counts: { ...selection.counts, stale: selection.counts.stale - deferred.size, unchanged: selection.counts.unchanged + deferred.size },
  };
}

/**
 * The selection topped up to `quota` stale rebuilds: when fewer are stale tonight, the oldest unchanged builds
 * that finished before `olderThan` (ms since the epoch) are rebuilt early, as stale, so a night's max-age work
 * stays near rows / max-age days instead of coming in waves. Other reasons are never touched.
 */
export function fillStale(selection: Selection, quota: number, finishedAt: (key: string) => number, olderThan: number): Selection {
  const missing = Math.floor(quota) - selection.counts.stale;
  if (!(missing > 0)) return selection;
  const old = selection.unchanged.filter((u) => finishedAt(u.key) < olderThan);
  if (old.length === 0) return selection;
  const early = old.sort((a, b) => finishedAt(a.key) - finishedAt(b.key) || a.row - b.row).slice(0, missing);
  const rows = new Set(early.map((u) => u.row));
  return {
    ...selection,
    build: [...selection.build, ...early.map((u) => ({ row: u.row, key: u.key, reason: "stale" as const }))].sort((a, b) => a.row - b.row),
    unchanged: selection.unchanged.filter((u) => !rows.has(u.row)),
    counts: { ...selection.counts, stale: selection.counts.stale + early.length, unchanged: selection.counts.unchanged - early.length },
  };
}
