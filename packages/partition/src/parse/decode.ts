/**
 * The bytes of repos.csv checked before they reach the parser: UTF-8 (with or without BOM) must be valid, else
 * INVALID_ENCODING names the line and column of the first bad byte (a Windows-1252 "Société" would otherwise
 * become "Soci\uFFFDt\uFFFD" without a word); UTF-16 (with a BOM) is decoded, so lines are counted in the text.
 */
import { ERROR_CODES, PartitionError } from "../errors.js";

/** Length of the UTF-8 sequence led by `b`, 0 when `b` cannot start one. */
const sequenceLength = (b: number): number =>
  b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;

/** The allowed range of the second byte after lead `b` (no overlong forms, no surrogates, nothing past U+10FFFF). */
const secondRange = (b: number): [number, number] =>
  b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];

/** `end`: bytes that form whole valid sequences; `bad`: index of the first invalid one (else undefined). */
export function scanUtf8(bytes: Uint8Array): { end: number; bad?: number } {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = sequenceLength(b);
    if (len === 0) return { end: i, bad: i };
    for (let k = 1; k < len; k++) {
      if (i + k >= bytes.length) return { end: i }; // incomplete: wait for the next chunk
      const c = bytes[i + k]!;
      const [lo, hi] = k === 1 ? secondRange(b) : [0x80, 0xbf];
      if (c < lo || c > hi) return { end: i, bad: i };
    }
    i += len;
  }
  return { end: i };
}

function invalid(line: number, column: number): PartitionError {
  return new PartitionError(ERROR_CODES.INVALID_ENCODING, `Line ${line}, column ${column}: the file is not valid UTF-8.`, {
    hint: 'Save repos.csv as UTF-8 (e.g. "CSV UTF-8" in a spreadsheet, or iconv -f WINDOWS-1252 -t UTF-8 repos.csv > repos-utf8.csv).',
  });
}

/** Line and column (in characters) after `bytes`, from `at`. */
function advance(at: { line: number; column: number; cr: boolean }, bytes: Uint8Array): void {
  for (const b of bytes) {
    if (b === 0x0a) {
      if (!at.cr) at.line++;
      at.column = 1;
      at.cr = false;
    } else if (b === 0x0d) {
      at.line++;
      at.column = 1;
      at.cr = true;
    } else {
      at.cr = false;
      if (b < 0x80 || b >= 0xc0) at.column++;
    }
  }
}

/** The csv's chunks, UTF-8 checked (Buffers, whole sequences only) or UTF-16 decoded (strings). Strings pass through. */
export async function* checkedChunks(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string | Uint8Array> {
  let utf16: InstanceType<typeof TextDecoder> | undefined;
  let first = true;
  let pending: Uint8Array = new Uint8Array(0);
  const at = { line: 1, column: 1, cr: false };
  for await (const chunk of chunks) {
    if (typeof chunk === "string") {
      yield chunk;
      continue;
    }
    const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    if (first && bytes.length >= 2) {
      first = false;
      if (bytes[0] === 0xff && bytes[1] === 0xfe) utf16 = new TextDecoder("utf-16le");
      else if (bytes[0] === 0xfe && bytes[1] === 0xff) utf16 = new TextDecoder("utf-16be");
    }
    if (utf16) {
      yield utf16.decode(bytes, { stream: true });
      continue;
    }
    const { end, bad } = scanUtf8(bytes);
    advance(at, bytes.subarray(0, end));
    if (bad !== undefined) throw invalid(at.line, at.column);
    pending = bytes.subarray(end);
    if (end > 0) yield bytes.subarray(0, end);
  }
  if (utf16) {
    const rest = utf16.decode();
    if (rest) yield rest;
  } else if (pending.length > 0) {
    throw invalid(at.line, at.column);
  }
}
