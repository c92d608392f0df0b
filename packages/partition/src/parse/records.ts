/**
 * repos.csv records from csv-parse's streaming parser, each with the physical line where it starts. UTF-8 with
 * or without BOM (invalid UTF-8 is INVALID_ENCODING with line and column), UTF-16 with a BOM; LF, CRLF and CR line ends, mixed; quoted fields with commas, doubled quotes and line breaks;
 * records over 16 MiB and malformed quotes are MALFORMED_CSV errors naming the line. Holds one input chunk and
 * the parser's small buffer at a time, never the whole file.
 */
import { createReadStream } from "node:fs";
import { parse, type Options } from "csv-parse";
import { ERROR_CODES, PartitionError } from "../errors.js";
import type { CsvSource } from "../types.js";
import { checkedChunks } from "./decode.js";
import { lineBreaks, textAfterClosingQuote } from "./quotes.js";

/** A csv record with the physical line (1-based) where it starts. */
export interface LinedRecord {
  fields: string[];
  line: number;
}

/** The longest record accepted, in characters. */
const MAX_RECORD_CHARS = 16 * 1024 * 1024;

function malformed(line: number, what: string): PartitionError {
  return new PartitionError(ERROR_CODES.MALFORMED_CSV, `Line ${line}: ${what}.`, {
    hint: 'Quote fields that contain commas, quotes or line breaks ("a,b"), and double quotes inside quoted fields ("say ""hi"""). Check for a missing closing quote.',
  });
}

/** csv-parse's own errors, as MALFORMED_CSV at the line where the record being read starts. */
function fromCsvParse(error: unknown, line: number): unknown {
  const code = (error as { code?: unknown }).code;
  if (error instanceof PartitionError || typeof code !== "string") return error;
  if (code === "CSV_MAX_RECORD_SIZE") return malformed(line, "a record is longer than 16 MiB (probably a quote that is never closed)");
  if (code === "CSV_QUOTE_NOT_CLOSED") return malformed(line, "a quoted field is never closed");
  if (code.startsWith("CSV_") || code.endsWith("_QUOTE")) return malformed(line, `the csv parser stopped: ${(error as Error).message}`);
  return error;
}

function chunksOf(source: CsvSource): AsyncIterable<string | Uint8Array> {
  return typeof source === "string" ? createReadStream(source, { highWaterMark: 1 << 16 }) : source;
}

/**
 * Every record of `source`, blank lines included (as `[""]`), with its start line, in batches (the records of
 * one input chunk). Pulls the next chunk only when the last batch is taken, so a caller that stops early stops
 * the reading. Throws
 * PartitionError "MALFORMED_CSV"; errors of the source itself (a missing file, a failing stream) pass through.
 */
export async function* linedBatches(source: CsvSource): AsyncGenerator<LinedRecord[]> {
  let line = 1;
  let parsed: LinedRecord[] = [];
  const options: Options<LinedRecord, { record: string[]; raw: string }> = {
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    max_record_size: MAX_RECORD_CHARS,
    raw: true,
    // called synchronously for each record while a chunk is parsed; the records are taken from `parsed`
    on_record: ({ record, raw }) => {
      const start = line;
      line += lineBreaks(raw);
      for (const f of record) {
        if (f.charCodeAt(0) !== 0x22) continue;
        const bad = textAfterClosingQuote(raw);
        if (bad !== undefined) throw malformed(start, `unexpected character "${bad.char}" after a closing quote (field ${bad.field})`);
        break;
      }
      parsed.push({ fields: record, line: start });
      return null;
    },
  };
  // the typings tie on_record to the default record type; with `raw` it receives `{ record, raw }`
  const parser = parse(options as unknown as Options);
  parser.on("error", () => {}); // reported through the write/end callbacks below
  const settle = (resolve: () => void, reject: (e: unknown) => void) => (error?: Error | null) => (error ? reject(error) : resolve());
  const take = (): LinedRecord[] => {
    const out = parsed;
    parsed = [];
    return out;
  };
  const chunks = chunksOf(source);
  try {
    for await (const chunk of checkedChunks(chunks)) {
      await new Promise<void>((resolve, reject) => parser.write(chunk, settle(resolve, reject)));
      if (parsed.length > 0) yield take();
    }
    await new Promise<void>((resolve, reject) => parser.end(settle(resolve, reject)));
    if (parsed.length > 0) yield take();
  } catch (error) {
    throw fromCsvParse(error, line);
  } finally {
    parser.destroy();
    (chunks as { destroy?: () => void }).destroy?.();
  }
}
