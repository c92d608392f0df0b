/** Streaming repos.csv parser: the tokenizer underneath, one validated record at a time. */
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { ERROR_CODES, PartitionError } from "./errors.js";
import { layoutFromHeader, type Layout } from "./header.js";
import { CsvTokenizer } from "./tokenizer.js";
import type { CsvSource, ParseOptions, ParsedRecord } from "./types.js";
import { validateRecord } from "./validate.js";

/** A raw data record with its row and start line; what the fast paths (count, select) iterate. */
export interface RawRecord {
  row: number;
  line: number;
  fields: string[];
}

function describeSource(source: CsvSource): string {
  return typeof source === "string" ? `"${source}"` : "the input stream";
}

function chunksOf(source: CsvSource): AsyncIterable<string | Uint8Array> {
  if (typeof source === "string") return createReadStream(source, { highWaterMark: 1 << 16 });
  return source as AsyncIterable<string | Uint8Array>;
}

function isBlank(fields: string[]): boolean {
  const first = fields[0] as string;
  if (first.length > 0 && first.charCodeAt(0) > 0x20) return false; // the usual case: a clone URL
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as string;
    if (f.length > 0 && f.trim().length > 0) return false;
  }
  return true;
}

function wrapError(err: unknown, source: CsvSource): PartitionError {
  if (err instanceof PartitionError) {
    if (err.code === ERROR_CODES.MALFORMED_CSV) err.message = `${describeSource(source)} is not valid CSV: ${err.message}`;
    return err;
  }
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === "string" && ["ENOENT", "EACCES", "EISDIR", "EPERM"].includes(e.code)) {
    return new PartitionError(ERROR_CODES.SOURCE_UNREADABLE, `Cannot read ${describeSource(source)}: ${e.code}.`, {
      hint: "Check the path and its permissions.",
      cause: err,
    });
  }
  return new PartitionError(ERROR_CODES.SOURCE_UNREADABLE, `Cannot read ${describeSource(source)}: ${e?.message ?? String(err)}`, {
    hint: "Check the input.",
    cause: err,
  });
}

/**
 * Iterate raw records in batches (one batch per input chunk): the header is resolved into a Layout (passed to
 * `onLayout` first), then every non-blank data record comes with its 1-based row number and start line.
 * Holds one input chunk and its records at a time.
 */
export async function* rawBatches(source: CsvSource, onLayout: (layout: Layout) => void): AsyncGenerator<RawRecord[]> {
  let layout: Layout | undefined;
  let row = 0;
  let batch: RawRecord[] = [];
  const tokenizer = new CsvTokenizer((fields, line) => {
    if (isBlank(fields)) return;
    if (layout === undefined) {
      layout = layoutFromHeader(fields, line);
      onLayout(layout);
      return;
    }
    row++;
    batch.push({ row, line, fields });
  });
  const decoder = new StringDecoder("utf8");
  const chunks = chunksOf(source);
  try {
    for await (const chunk of chunks) {
      tokenizer.push(typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer));
      if (batch.length > 0) {
        const out = batch;
        batch = [];
        yield out;
      }
    }
    const tail = decoder.end();
    if (tail.length > 0) tokenizer.push(tail);
    tokenizer.end();
  } catch (err) {
    throw wrapError(err, source);
  } finally {
    const stream = chunks as { destroy?: () => void };
    if (typeof stream.destroy === "function") stream.destroy();
  }
  if (batch.length > 0) yield batch;
  if (layout === undefined) {
    throw new PartitionError(ERROR_CODES.EMPTY_FILE, `${describeSource(source)} is empty: no header row.`, {
      hint: 'Start the file with a header row such as "cloneUrl,branch,origin,path".',
    });
  }
}

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
