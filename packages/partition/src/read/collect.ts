/** The shared read engine: validate the wanted rows in one pass, sort out repeats, stop after the last one. */
import { ERROR_CODES, PartitionError, formatIssue } from "../errors.js";
import type { Layout } from "../header.js";
import { describeSource, rawBatches, type RawRecord } from "../parse/raw.js";
import type { CsvSource, ReadOptions, ReadResult, RepoRow, ValidationIssue } from "../types.js";
import { field } from "../validate/issues.js";
import { orgsOf } from "../validate/keys.js";
import { validateRecord } from "../validate/record.js";
import { derivedNotice, derivedNotices } from "./derived.js";
import { Repeats, duplicateIssue, listingIssue } from "./repeats.js";

/** Batches of rows 1..`lastRow`: reading stops at the first record past it. Passes the layout to `onLayout` and `onHeader`. */
export async function* batchesUpTo(
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

/** Throw INVALID_ROWS in strict mode when any row is invalid; else the result with the unknown columns. */
export function finish(
  source: CsvSource,
  options: ReadOptions,
  layout: Layout | undefined,
  parts: Omit<ReadResult, "unknownColumns">,
): ReadResult {
  const { issues } = parts;
  const unknownColumns = layout === undefined ? [] : [...layout.info.unknownColumns];
  if ((options.mode ?? "strict") === "strict" && issues.length > 0) {
    const shown = issues.slice(0, 20).map(formatIssue).join("\n  ");
    const more = issues.length > 20 ? `\n  ... and ${issues.length - 20} more` : "";
    throw new PartitionError(
      ERROR_CODES.INVALID_ROWS,
      `${issues.length} problem(s) in ${new Set(issues.map((i) => i.row)).size} row(s) of ${typeof source === "string" ? describeSource(source) : "the input"}:\n  ${shown}${more}`,
      { hint: "Fix the rows listed, or read in lenient mode to leave invalid rows out.", issues },
    );
  }
  return { ...parts, derived: parts.derived ?? derivedNotices(parts.repos), unknownColumns };
}

/**
 * Validates the rows `wanted` says yes to (all rows up to `lastRow`), remembers the keys of every valid row
 * before the last wanted one so a selected row that repeats an earlier row is treated exactly as a whole-file
 * read would treat it, and stops reading after `lastRow`. `keep` false builds no RepoRow (check only).
 */
export async function collect(
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
  const sharedRows: ValidationIssue[] = [];
  const derived: ValidationIssue[] = [];
  const kept = new Map<number, RepoRow>(); // by row, for other organizations' listings (org columns only)
  let layout: Layout | undefined;
  let repeats: Repeats | undefined;
  let rowCount = 0;
  for await (const batch of batchesUpTo(source, lastRow, options, (l) => ((layout = l), (repeats = new Repeats(l))))) {
    for (const raw of batch) visit(raw);
  }
  return finish(source, options, layout, { repos, issues, duplicates, sharedRows, derived, rowCount });

  function visit(raw: RawRecord): void {
    const lay = layout as Layout;
    const seen = repeats as Repeats;
    // the key comes from the raw fields (trimmed like RepoRow's) so check-only reads build no RepoRow
    const cloneUrl = field(raw.fields, lay.index.cloneUrl);
    const branch = field(raw.fields, lay.index.branch) || undefined;
    if (wanted !== undefined && !wanted(raw.row)) {
      // Earlier rows only matter for repeats: validate only when the repository is new (cheap path).
      if (seen.knows(cloneUrl, branch)) seen.recordListing(raw.fields, cloneUrl, branch, raw.row);
      else if (validateRecord(raw.fields, lay, raw.row, raw.line, allowFileUrls, false).ok)
        seen.record(raw.fields, cloneUrl, branch, raw.row);
      return;
    }
    rowCount++;
    const rec = validateRecord(raw.fields, lay, raw.row, raw.line, allowFileUrls, keep);
    if (!rec.ok) {
      for (const issue of rec.issues) issues.push(issue);
      return;
    }
    const repeat = seen.record(raw.fields, cloneUrl, branch, raw.row);
    if (repeat.kind === "duplicate") {
      duplicates.push(duplicateIssue(raw, cloneUrl, branch, repeat.first, lay));
    } else if (repeat.kind === "listing") {
      const orgs = orgsOf(raw.fields, lay);
      sharedRows.push(listingIssue(raw, cloneUrl, branch, repeat.first, orgs, lay));
      const first = kept.get(repeat.first);
      if (first !== undefined) (first.otherOrgs ??= []).push(orgs);
    } else if (keep) {
      repos.push(rec.repo);
      if (lay.orgs.length > 0) kept.set(rec.repo.row, rec.repo);
      if (rec.repo.derived !== undefined) derived.push(derivedNotice(raw.row, raw.line, cloneUrl, rec.repo.derived, rec.repo));
    } else {
      const missing = [
        ...(field(raw.fields, lay.index.origin).length === 0 ? ["origin" as const] : []),
        ...(field(raw.fields, lay.index.path).length === 0 ? ["path" as const] : []),
      ];
      if (missing.length > 0) derived.push(derivedNotice(raw.row, raw.line, cloneUrl, missing));
    }
  }
}
