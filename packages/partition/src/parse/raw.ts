/** Raw data records: the header resolved into a Layout, blank lines skipped, rows numbered. */
import { ERROR_CODES, PartitionError } from "../errors.js";
import { layoutFromHeader, type Layout } from "../header.js";
import type { CsvSource } from "../types.js";
import { linedBatches } from "./records.js";

/** A raw data record with its row and start line; what the fast paths (count, select) iterate. */
export interface RawRecord {
  row: number;
  line: number;
  fields: string[];
}

/** How messages name the source. */
export function describeSource(source: CsvSource): string {
  return typeof source === "string" ? `"${source}"` : "the input stream";
}

/** True for a line whose fields are all empty or whitespace (`,,,` as spreadsheets write them). */
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
 * The non-blank data records of `source` with their 1-based row numbers and start lines, in batches (one per
 * input chunk), after the header was resolved into a Layout (passed to `onLayout` first). Stops reading when the
 * caller stops iterating.
 */
export async function* rawBatches(source: CsvSource, onLayout: (layout: Layout) => void): AsyncGenerator<RawRecord[]> {
  let layout: Layout | undefined;
  let row = 0;
  try {
    for await (const lined of linedBatches(source)) {
      const batch: RawRecord[] = [];
      for (const { fields, line } of lined) {
        if (isBlank(fields)) continue;
        if (layout === undefined) {
          layout = layoutFromHeader(fields, line);
          onLayout(layout);
          continue;
        }
        batch.push({ row: ++row, line, fields });
      }
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    throw wrapError(err, source);
  }
  if (layout === undefined) {
    throw new PartitionError(ERROR_CODES.EMPTY_FILE, `${describeSource(source)} is empty: no header row.`, {
      hint: 'Start the file with a header row such as "cloneUrl,branch,origin,path".',
    });
  }
}
