import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvTokenizer } from "../src/tokenizer.js";
import { PartitionError } from "../src/errors.js";

interface Rec {
  fields: string[];
  line: number;
}

function tokenize(chunks: string[]): Rec[] {
  const out: Rec[] = [];
  const t = new CsvTokenizer((fields, line) => out.push({ fields, line }));
  for (const c of chunks) t.push(c);
  t.end();
  return out;
}

/** csv-parse's view of the same text, with record start lines computed from its info counters. */
function oracle(csv: string): Rec[] {
  const rows = parse(csv, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    info: true,
    record_delimiter: ["\r\n", "\n", "\r"],
  }) as unknown as Array<{ record: string[]; info: { lines: number; empty_lines: number } }>;
  let prevEnd = 0;
  let prevEmpty = 0;
  return rows.map(({ record, info }) => {
    const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
    prevEnd = info.lines;
    prevEmpty = info.empty_lines;
    return { fields: record, line };
  });
}

const notBlank = (r: Rec): boolean => !r.fields.every((f) => f === "");

/** Serialize records; also returns where each record starts (offset) so expected line numbers are independent. */
function serialize(records: Array<{ fields: string[]; quote: boolean[]; eol: string }>): { csv: string; starts: number[] } {
  let csv = "";
  const starts: number[] = [];
  for (const { fields, quote, eol } of records) {
    starts.push(csv.length);
    csv += fields.map((f, i) => (quote[i] || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(",") + eol;
  }
  return { csv, starts };
}

/** Physical line at `offset`: 1 + line breaks before it (CRLF, CR, LF each count once). */
function lineAt(csv: string, offset: number): number {
  return 1 + (csv.slice(0, offset).match(/\r\n|\r|\n/g)?.length ?? 0);
}

function splitAt(s: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(s.slice(prev, p));
    prev = p;
  }
  out.push(s.slice(prev));
  return out;
}

describe("CsvTokenizer", () => {
  it("handles BOM, CRLF, LF, CR, blank lines, quoted commas, quotes and line breaks", () => {
    const csv = '\ufeffa,b\r\n1,2\r\n\r\n"x\ny","q""uote,d"\r\n4,5,6\n\n\n7\r8,"multi\r\nline\r\nvalue"\n9,';
    expect(tokenize([csv])).toEqual([
      { fields: ["a", "b"], line: 1 },
      { fields: ["1", "2"], line: 2 },
      { fields: ["x\ny", 'q"uote,d'], line: 4 },
      { fields: ["4", "5", "6"], line: 6 },
      { fields: ["7"], line: 9 },
      { fields: ["8", "multi\r\nline\r\nvalue"], line: 10 },
      { fields: ["9", ""], line: 13 },
    ]);
    // csv-parse agrees on the fields (its line counter counts a CRLF inside quotes twice, so lines are not compared)
    expect(tokenize([csv]).map((r) => r.fields)).toEqual(oracle(csv).map((r) => r.fields));
  });

  it("gives the same result whatever the chunk boundaries (down to one character per chunk)", () => {
    const csv = 'h1,h2\r\n"a""b",c\r\n"x\r\ny",z\r\n';
    expect(tokenize(csv.split(""))).toEqual(tokenize([csv]));
  });

  it("keeps a quote inside an unquoted field literally", () => {
    expect(tokenize(['a,b"c,d\n'])).toEqual([{ fields: ["a", 'b"c', "d"], line: 1 }]);
  });

  it("rejects an unclosed quote and text after a closing quote, naming the line", () => {
    expect(() => tokenize(['a,b\n1,2\n"open,3\n4,5\n'])).toThrowError(/Line 3: a quoted field is never closed/);
    expect(() => tokenize(['a,b\n"x"y,2\n'])).toThrowError(/Line 2: unexpected character "y" after a closing quote/);
    try {
      tokenize(['"x"y']);
    } catch (e) {
      expect(e).toBeInstanceOf(PartitionError);
      expect((e as PartitionError).code).toBe("MALFORMED_CSV");
    }
  });

  it("agrees with csv-parse on random csv, fields, line numbers and chunking", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r", "\r\n", "é"), maxLength: 6 });
    const record = fc.record({
      fields: fc.array(field, { minLength: 1, maxLength: 4 }),
      quote: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      eol: fc.constantFrom("\n", "\r\n", "\r\n", "\n"),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 5 }), (records, cuts) => {
        const { csv, starts } = serialize(records);
        const got = tokenize(splitAt(csv, cuts)).filter(notBlank);
        // fields: exactly what csv-parse reads
        expect(got.map((r) => r.fields)).toEqual(oracle(csv).filter(notBlank).map((r) => r.fields));
        // lines: where each non-blank record was written
        const expectedLines = records
          .map((r, i) => ({ blank: r.fields.every((f) => f === ""), line: lineAt(csv, starts[i] as number) }))
          .filter((r) => !r.blank)
          .map((r) => r.line);
        expect(got.map((r) => r.line)).toEqual(expectedLines);
      }),
      { numRuns: 400 },
    );
  });
});

describe("CsvTokenizer on big records", () => {
  it("reads a multi-megabyte quoted field fed in small chunks", () => {
    const big = "x,".repeat(1_000_000);
    const csv = `a,b\n1,"${big}"\n2,3\n`;
    const chunks: string[] = [];
    for (let i = 0; i < csv.length; i += 4096) chunks.push(csv.slice(i, i + 4096));
    const out = tokenize(chunks);
    expect(out.map((r) => r.fields[0])).toEqual(["a", "1", "2"]);
    expect(out[1]?.fields[1]?.length).toBe(big.length);
    expect(out[2]?.line).toBe(3);
  });

  it("gives up on a quote that is never closed, naming the line where it opened", () => {
    const csv = `a,b\n1,2\n3,"${"y".repeat(17 * 1024 * 1024)}`;
    const chunks: string[] = [];
    for (let i = 0; i < csv.length; i += 65536) chunks.push(csv.slice(i, i + 65536));
    expect(() => tokenize(chunks)).toThrowError(/Line 3: a record is longer than 16 MiB/);
  });
});
