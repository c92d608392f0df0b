/** Whole-file and partial reads built on the streaming parser. */
import { ERROR_CODES, PartitionError } from "./errors.js";
import { rawBatches } from "./parse/raw.js";
import { collect } from "./read/collect.js";
import { selectFromFile } from "./read/select-file.js";
import type { CsvSource, Range, ReadOptions, ReadResult, ValidationResult } from "./types.js";

/**
 * Read and validate a whole repos.csv. Strict mode (default) throws PartitionError "INVALID_ROWS" (with
 * `.issues`) when any row is invalid; lenient mode leaves invalid rows out and reports them in `issues`.
 * Duplicates (same clone URL, branch and organizations) are reported in `duplicates`; the first is kept. A
 * repository listed again under other organizations is built once: the first row's `otherOrgs` gets the
 * organizations and `sharedRows` notes the later rows.
 */
export async function readRepos(source: CsvSource, options: ReadOptions = {}): Promise<ReadResult> {
  return collect(source, options, true, undefined, Number.POSITIVE_INFINITY);
}

/**
 * Validate a whole repos.csv without keeping the rows (memory: the repeat index only).
 * Same modes and reports as readRepos.
 */
export async function validateRepos(source: CsvSource, options: ReadOptions = {}): Promise<ValidationResult> {
  const { repos: _repos, ...rest } = await collect(source, options, false, undefined, Number.POSITIVE_INFINITY);
  return rest;
}

/** Count data rows (header excluded, blank lines skipped) without validating or keeping them. */
export async function countRows(source: CsvSource): Promise<number> {
  let count = 0;
  for await (const batch of rawBatches(source, () => {})) count += batch.length;
  return count;
}

function checkRow(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new PartitionError(ERROR_CODES.INVALID_ARGUMENT, `${what} must be a whole number >= 1, got ${String(n)}.`, {
      hint: "Row numbers are 1-based and exclude the header.",
    });
  }
}

/** The rows `wanted` says yes to, up to `lastRow`: a file path in two passes (no index of earlier rows), a stream in one. */
function selectWanted(source: CsvSource, options: ReadOptions, wanted: (row: number) => boolean, lastRow: number): Promise<ReadResult> {
  return typeof source === "string" ? selectFromFile(source, options, wanted, lastRow) : collect(source, options, true, wanted, lastRow);
}

/**
 * Only rows `start..end` (1-based, inclusive, header excluded); stops reading after `end`. Rows of the range
 * that repeat an earlier row of the file are treated exactly as readRepos would (a file path is read twice up to
 * the range for that; a stream once, keeping a compact index of earlier rows' keys). A repository's listings
 * under other organizations after `end` are not read. `rowCount` is the number of rows of the range present.
 */
export async function selectRange(source: CsvSource, range: Range, options: ReadOptions = {}): Promise<ReadResult> {
  checkRow(range.start, "range start");
  checkRow(range.end, "range end");
  if (range.end < range.start) {
    throw new PartitionError(ERROR_CODES.INVALID_ARGUMENT, `Range end ${range.end} is before start ${range.start}.`, {
      hint: "Ranges are inclusive: start <= end.",
    });
  }
  const { start, end } = range;
  return selectWanted(source, options, (row) => row >= start, end);
}

/** Only the listed row numbers (e.g. a weighted partition), in file order. Same modes as readRepos. */
export async function selectRows(source: CsvSource, rows: readonly number[], options: ReadOptions = {}): Promise<ReadResult> {
  const set = new Set<number>();
  let last = 0;
  for (const r of rows) {
    checkRow(r, "row");
    set.add(r);
    if (r > last) last = r;
  }
  if (set.size === 0) return { repos: [], issues: [], duplicates: [], sharedRows: [], derived: [], unknownColumns: [], rowCount: 0 };
  return selectWanted(source, options, (row) => set.has(row), last);
}
