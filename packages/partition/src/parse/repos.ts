/** Streaming repos.csv parser: csv-parse underneath, one validated record at a time. */
import type { Layout } from "../header.js";
import type { CsvSource, ParseOptions, ParsedRecord } from "../types.js";
import { validateRecord } from "../validate/record.js";
import { rawBatches } from "./raw.js";

/**
 * Parse and validate a repos.csv, streaming: yields every data record in order, valid (`ok: true`, with the
 * RepoRow) or not (`ok: false`, with its issues). Never holds all rows. Throws PartitionError for file-level
 * problems ("EMPTY_FILE", "MISSING_CLONE_URL_HEADER", "DUPLICATE_COLUMN", "MALFORMED_CSV", "SOURCE_UNREADABLE").
 *
 * @example
 * for await (const rec of parseRepos("repos.csv")) {
 *   if (rec.ok) console.log(rec.repo.row, rec.repo.cloneUrl);
 *   else console.error(rec.issues.map(formatIssue).join("\n"));
 * }
 */
export async function* parseRepos(source: CsvSource, options: ParseOptions = {}): AsyncGenerator<ParsedRecord, void, undefined> {
  const allowFileUrls = options.allowFileUrls === true;
  let layout: Layout | undefined;
  for await (const batch of rawBatches(source, (l) => {
    layout = l;
    options.onHeader?.(l.info);
  })) {
    for (const raw of batch) yield validateRecord(raw.fields, layout as Layout, raw.row, raw.line, allowFileUrls);
  }
}
