/** Whole-file and partial reads built on the streaming parser. */
import { ERROR_CODES, ISSUE_CODES, PartitionError, formatIssue } from "./errors.js";
import type { Layout } from "./header.js";
import { FirstRowIndex } from "./keyset.js";
import { rawBatches, type RawRecord } from "./parse.js";
import { displayValue } from "./text.js";
import type { CsvSource, Range, ReadOptions, ReadResult, RepoRow, ValidationIssue, ValidationResult } from "./types.js";
import { duplicateKey, field, keyLength, validateRecord } from "./validate.js";

/**
 * The raw batches of rows 1..`lastRow`: reading stops at the first record past `lastRow`. Passes the header
 * layout to `onLayout` (and `options.onHeader`) first.
 */
async function* batchesUpTo(
  source: CsvSource,
  lastRow: number,
  options: ReadOptions,
  onLayout: (layout: Layout) => void,
): AsyncGenerator<RawRecord[]> {
  for await (const batch of rawBatches(source, (l) => {
    onLayout(l);
    options.onHeader?.(l.info);
  })) {
    if ((batch[batch.length - 1] as RawRecord).row <= lastRow) {
      yield batch;
      continue;
    }
    const cut = batch.findIndex((raw) => raw.row > lastRow);
    if (cut > 0) yield batch.slice(0, cut);
    return;
  }
}

/**
 * The shared engine: validates the rows `wanted` says yes to (all rows up to `lastRow`), remembers keys of
 * every valid row before the last wanted one so a selected row that repeats an earlier row is dropped exactly as
 * a whole-file read would drop it, and stops reading after `lastRow`.
 */
async function collect(
  source: CsvSource,
  options: ReadOptions,
  keep: boolean,
  wanted: ((row: number) => boolean) | undefined,
  lastRow: number,
): Promise<ReadResult> {
  const allowFileUrls = options.allowFileUrls === true;
  const repos: RepoRow[] = [];
  const issues: ValidationIssue[] = [];
  const duplicates: ValidationIssue[] = [];
  const firstRowOfKey = new FirstRowIndex();
  let layout: Layout | undefined;
  let rowCount = 0;
  for await (const batch of batchesUpTo(source, lastRow, options, (l) => (layout = l))) {
    const lay = layout as Layout;
    for (const raw of batch) {
      // the key comes from the raw fields (trimmed like RepoRow's) so check-only reads build no RepoRow
      const cloneUrl = field(raw.fields, lay.index.cloneUrl);
      const branch = field(raw.fields, lay.index.branch) || undefined;
      const urlLength = keyLength(cloneUrl);
      if (wanted !== undefined && !wanted(raw.row)) {
        // Earlier rows only matter for duplicate detection: validate only when the key is new (cheap path).
        if (
          firstRowOfKey.getParts(cloneUrl, urlLength, branch) === 0 &&
          validateRecord(raw.fields, lay, raw.row, raw.line, allowFileUrls, false).ok
        ) {
          firstRowOfKey.firstRowParts(cloneUrl, urlLength, branch, raw.row);
        }
        continue;
      }
      rowCount++;
      const rec = validateRecord(raw.fields, lay, raw.row, raw.line, allowFileUrls, keep);
      if (!rec.ok) {
        for (const issue of rec.issues) issues.push(issue);
        continue;
      }
      const first = firstRowOfKey.firstRowParts(cloneUrl, urlLength, branch, raw.row);
      if (first !== 0) {
        duplicates.push(duplicateIssue(raw, cloneUrl, branch, first, lay));
        continue;
      }
      if (keep) repos.push(rec.repo);
    }
  }
  return finish(source, options, layout, { repos, issues, duplicates, rowCount });
}

function duplicateIssue(
  at: { row: number; line: number },
  cloneUrl: string,
  branch: string | undefined,
  first: number,
  layout: Layout,
): ValidationIssue {
  return {
    code: ISSUE_CODES.DUPLICATE_ROW,
    row: at.row,
    line: at.line,
    column: layout.names[layout.index.cloneUrl] ?? "cloneUrl",
    value: displayValue(branch === undefined ? cloneUrl : `${cloneUrl} (branch ${branch})`),
    message: `Same clone URL and branch as row ${first}; this row is left out (the first one is kept). Remove one of them.`,
  };
}

function finish(
  source: CsvSource,
  options: ReadOptions,
  layout: Layout | undefined,
  parts: Pick<ReadResult, "repos" | "issues" | "duplicates" | "rowCount">,
): ReadResult {
  const { issues } = parts;
  const unknownColumns = layout === undefined ? [] : [...layout.info.unknownColumns];
  if ((options.mode ?? "strict") === "strict" && issues.length > 0) {
    const shown = issues.slice(0, 20).map(formatIssue).join("\n  ");
    const more = issues.length > 20 ? `\n  ... and ${issues.length - 20} more` : "";
    throw new PartitionError(
      ERROR_CODES.INVALID_ROWS,
      `${issues.length} problem(s) in ${new Set(issues.map((i) => i.row)).size} row(s) of ${typeof source === "string" ? `"${source}"` : "the input"}:\n  ${shown}${more}`,
      { hint: "Fix the rows listed, or read in lenient mode to leave invalid rows out.", issues },
    );
  }
  return { ...parts, unknownColumns };
}

/**
 * Selection from a file path, in two passes so no index of all earlier rows is needed: pass 1 validates the
 * selected rows (earlier rows are only tokenized); pass 2 re-reads the rows before the last selected one and
 * validates only those sharing a clone URL and branch with a selected row, to drop selected duplicates exactly
 * as a whole read would.
 */
async function selectFromFile(
  path: string,
  options: ReadOptions,
  wanted: (row: number) => boolean,
  lastRow: number,
): Promise<ReadResult> {
  const allowFileUrls = options.allowFileUrls === true;
  const valid: RepoRow[] = [];
  const issues: ValidationIssue[] = [];
  let layout: Layout | undefined;
  let rowCount = 0;
  for await (const batch of batchesUpTo(path, lastRow, options, (l) => (layout = l))) {
    for (const raw of batch) {
      if (!wanted(raw.row)) continue;
      rowCount++;
      const rec = validateRecord(raw.fields, layout as Layout, raw.row, raw.line, allowFileUrls);
      if (rec.ok) valid.push(rec.repo);
      else for (const issue of rec.issues) issues.push(issue);
    }
  }
  // earliest valid unselected row of each selected key
  const earlier = new Map<string, number>();
  const last = valid[valid.length - 1];
  if (last !== undefined && last.row > 1) {
    const wantedKeys = new Set(valid.map((r) => duplicateKey(r.cloneUrl, r.branch)));
    let lay: Layout | undefined;
    for await (const batch of batchesUpTo(path, last.row - 1, {}, (l) => (lay = l))) {
      const { index } = lay as Layout;
      for (const raw of batch) {
        if (wanted(raw.row)) continue;
        const key = duplicateKey(field(raw.fields, index.cloneUrl), field(raw.fields, index.branch) || undefined);
        if (!wantedKeys.has(key) || earlier.has(key)) continue;
        if (validateRecord(raw.fields, lay as Layout, raw.row, raw.line, allowFileUrls).ok) earlier.set(key, raw.row);
      }
    }
  }
  const repos: RepoRow[] = [];
  const duplicates: ValidationIssue[] = [];
  const firstSelected = new Map<string, number>();
  for (const repo of valid) {
    const key = duplicateKey(repo.cloneUrl, repo.branch);
    const before = earlier.get(key);
    const selected = firstSelected.get(key);
    const first = Math.min(before !== undefined && before < repo.row ? before : Infinity, selected ?? Infinity);
    if (first !== Infinity) {
      duplicates.push(duplicateIssue(repo, repo.cloneUrl, repo.branch, first, layout as Layout));
      continue;
    }
    firstSelected.set(key, repo.row);
    repos.push(repo);
  }
  return finish(path, options, layout, { repos, issues, duplicates, rowCount });
}

/**
 * Read and validate a whole repos.csv. Strict mode (default) throws PartitionError "INVALID_ROWS" (with
 * `.issues`) when any row is invalid; lenient mode leaves invalid rows out and reports them in `issues`.
 * Duplicates (same clone URL and branch) are reported in `duplicates`; the first is kept.
 */
export async function readRepos(source: CsvSource, options: ReadOptions = {}): Promise<ReadResult> {
  return collect(source, options, true, undefined, Number.POSITIVE_INFINITY);
}

/**
 * Validate a whole repos.csv without keeping the rows (memory: the duplicate-key set only).
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

/**
 * Only rows `start..end` (1-based, inclusive, header excluded); stops reading after `end`. Rows of the range
 * that repeat an earlier row of the file are dropped as duplicates, exactly as readRepos would (a file path is
 * read twice up to the range for that; a stream once, keeping a compact index of earlier rows' keys).
 * `rowCount` is the number of rows of the range present in the file.
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
  const wanted = (row: number): boolean => row >= start;
  return typeof source === "string" ? selectFromFile(source, options, wanted, end) : collect(source, options, true, wanted, end);
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
  if (set.size === 0) return { repos: [], issues: [], duplicates: [], unknownColumns: [], rowCount: 0 };
  const wanted = (row: number): boolean => set.has(row);
  return typeof source === "string" ? selectFromFile(source, options, wanted, last) : collect(source, options, true, wanted, last);
}
