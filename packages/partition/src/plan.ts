/** Pure planning: rows -> partitions. No I/O. */
import { DEFAULTS } from "@mass-ingest/contract";
import { ERROR_CODES, PartitionError } from "./errors.js";
import type { Plan, RangePartition } from "./types.js";

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
