/** Predicted build durations from the state. Pure. */
import { DEFAULT_PREDICTED_MS } from "./constants.js";
import type { RunState } from "./records.js";

export interface PredictOptions {
  /** When no repository of the state has a known duration. Default {@link DEFAULT_PREDICTED_MS} (10 min). */
  defaultMs?: number;
}

export interface Prediction {
  row: number;
  key: string;
  predictedMs: number;
  /** last: this repository's last ok build; median: the median of all known ones; default: nothing known. */
  source: "last" | "median" | "default";
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Each row's predicted sync+build+publish time: its last ok build's, else the median of the state's known
 * ones, else `defaultMs`.
 */
export function predictDurations(
  rows: ReadonlyArray<{ row: number; key: string }>,
  state: RunState,
  options: PredictOptions = {},
): Prediction[] {
  const known = Object.values(state.repos)
    .map((e) => e.lastOkMs)
    .filter((ms): ms is number => ms !== undefined && Number.isFinite(ms) && ms > 0);
  const fallback = median(known);
  return rows.map(({ row, key }) => {
    const last = state.repos[key]?.lastOkMs;
    if (last !== undefined && Number.isFinite(last) && last > 0) return { row, key, predictedMs: last, source: "last" };
    if (fallback !== undefined) return { row, key, predictedMs: fallback, source: "median" };
    return { row, key, predictedMs: options.defaultMs ?? DEFAULT_PREDICTED_MS, source: "default" };
  });
}
