/** Pure planning: rows -> partitions. No I/O. */
import { DEFAULTS } from "@mass-ingest/contract";
import { ERROR_CODES, PartitionError } from "./errors.js";
import type { Plan, RangePartition, WeightedPartition, WeightedPlan } from "./types.js";

function wholeNumber(n: number, what: string, min: number): void {
  if (!Number.isSafeInteger(n) || n < min) {
    throw new PartitionError(ERROR_CODES.INVALID_ARGUMENT, `${what} must be a whole number >= ${min}, got ${String(n)}.`, {
      hint: `Pass a whole number of at least ${min}.`,
    });
  }
}

/**
 * Contiguous partitions of `size` rows (default 50); every partition is full except possibly the last.
 * @example planBySize(120, 50).partitions // [{partition:1,start:1,end:50},{partition:2,start:51,end:100},{partition:3,start:101,end:120}]
 */
export function planBySize(rowCount: number, size: number = DEFAULTS.partitionSize): Plan {
  wholeNumber(rowCount, "rowCount", 0);
  wholeNumber(size, "partition size", 1);
  const n = Math.ceil(rowCount / size);
  const partitions: RangePartition[] = new Array(n);
  for (let i = 0; i < n; i++) {
    partitions[i] = { partition: i + 1, start: i * size + 1, end: Math.min((i + 1) * size, rowCount) };
  }
  return { rowCount, partitionSize: size, partitions };
}

/**
 * Exactly `count` contiguous partitions (fewer when there are fewer rows: never an empty one) whose sizes
 * differ by at most one; the larger ones come first.
 */
export function planByCount(rowCount: number, count: number): Plan {
  wholeNumber(rowCount, "rowCount", 0);
  wholeNumber(count, "partition count", 1);
  const n = Math.min(count, rowCount);
  const partitions: RangePartition[] = new Array(n);
  if (n === 0) return { rowCount, partitions };
  const base = Math.floor(rowCount / n);
  const bigger = rowCount % n;
  let start = 1;
  for (let i = 0; i < n; i++) {
    const len = base + (i < bigger ? 1 : 0);
    partitions[i] = { partition: i + 1, start, end: start + len - 1 };
    start += len;
  }
  return { rowCount, partitions };
}

/**
 * Longest-processing-time-first bin packing: rows sorted by weight (heaviest first, ties by row number),
 * each given to the currently lightest partition (ties: fewer rows, then lowest partition number). At most `count` partitions,
 * none empty; each lists its rows ascending. The makespan is within 4/3 of the optimum (Graham's bound).
 */
export function planWeighted(weights: ReadonlyArray<{ row: number; weight: number }>, count: number): WeightedPlan {
  wholeNumber(count, "partition count", 1);
  const seen = new Set<number>();
  let total = 0;
  let maxWeight = 0;
  for (const w of weights) {
    wholeNumber(w.row, "row", 1);
    if (!Number.isFinite(w.weight) || w.weight < 0) {
      throw new PartitionError(
        ERROR_CODES.INVALID_ARGUMENT,
        `Row ${w.row} has weight ${String(w.weight)}; weights must be finite and >= 0.`,
        {
          hint: "Use e.g. the last build time in seconds; 0 for unknown.",
        },
      );
    }
    if (seen.has(w.row)) {
      throw new PartitionError(ERROR_CODES.INVALID_ARGUMENT, `Row ${w.row} is listed twice in the weights.`, {
        hint: "Give each row exactly one weight.",
      });
    }
    seen.add(w.row);
    total += w.weight;
    if (w.weight > maxWeight) maxWeight = w.weight;
  }
  const n = Math.min(count, weights.length);
  if (n === 0) return { partitions: [], makespan: 0, lowerBound: 0 };
  const order = weights.slice().sort((a, b) => b.weight - a.weight || a.row - b.row);
  // Binary min-heap of partition indexes keyed by (load, index).
  const load = new Float64Array(n);
  const heap = new Int32Array(n);
  for (let i = 0; i < n; i++) heap[i] = i;
  const rows: number[][] = Array.from({ length: n }, () => []);
  // lightest first; on equal load (e.g. zero weights) the one with fewer rows, then the lowest number,
  // so no partition stays empty
  const less = (a: number, b: number): boolean => {
    const la = load[a] as number;
    const lb = load[b] as number;
    if (la !== lb) return la < lb;
    const ra = (rows[a] as number[]).length;
    const rb = (rows[b] as number[]).length;
    return ra !== rb ? ra < rb : a < b;
  };
  for (const w of order) {
    const p = heap[0] as number;
    (rows[p] as number[]).push(w.row);
    load[p] = (load[p] as number) + w.weight;
    // sift down the root
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && less(heap[l] as number, heap[m] as number)) m = l;
      if (r < n && less(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) break;
      const t = heap[i] as number;
      heap[i] = heap[m] as number;
      heap[m] = t;
      i = m;
    }
  }
  let makespan = 0;
  const partitions: WeightedPartition[] = rows.map((r, i) => {
    const weight = load[i] as number;
    if (weight > makespan) makespan = weight;
    return { partition: i + 1, rows: r.sort((a, b) => a - b), weight };
  });
  return { partitions, makespan, lowerBound: Math.max(maxWeight, total / n) };
}

/**
 * The range an AWS Batch array child runs: index is AWS_BATCH_JOB_ARRAY_INDEX (0-based), partition = index + 1.
 * Throws PartitionError "INVALID_ARGUMENT" when the index is past the last row.
 */
export function rangeForArrayIndex(index: number, size: number, rowCount: number): RangePartition {
  wholeNumber(index, "array index", 0);
  wholeNumber(size, "partition size", 1);
  wholeNumber(rowCount, "rowCount", 0);
  const start = index * size + 1;
  if (start > rowCount) {
    throw new PartitionError(
      ERROR_CODES.INVALID_ARGUMENT,
      `Array index ${index} with partition size ${size} starts at row ${start}, but there are only ${rowCount} rows.`,
      {
        hint: `Valid array indexes are 0..${Math.max(0, Math.ceil(rowCount / size) - 1)}; check that the csv did not change since planning.`,
      },
    );
  }
  return { partition: index + 1, start, end: Math.min(start + size - 1, rowCount) };
}

/** The 0-based AWS Batch array index whose range holds `row` (1-based) with partitions of `size`. */
export function arrayIndexForRow(row: number, size: number): number {
  wholeNumber(row, "row", 1);
  wholeNumber(size, "partition size", 1);
  return Math.floor((row - 1) / size);
}
