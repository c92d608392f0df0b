import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PartitionError } from "../../src/errors.js";
import { linedBatches, type LinedRecord } from "../../src/parse/records.js";

/** Every record csv-parse reads from these chunks, with its start line; blank lines dropped like the readers do. */
async function records(chunks: string[]): Promise<LinedRecord[]> {
  const out: LinedRecord[] = [];
  for await (const batch of linedBatches(
    (async function* () {
      yield* chunks;
    })(),
  )) {
    for (const r of batch) if (!(r.fields.length === 1 && r.fields[0] === "")) out.push(r);
  }
  return out;
}

async function failure(chunks: string[]): Promise<PartitionError> {
  const error = await records(chunks).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PartitionError);
  expect((error as PartitionError).code).toBe("MALFORMED_CSV");
  return error as PartitionError;
}

/** Serialize records; also returns where each record starts (offset) so expected line numbers are independent. */
function serialize(recs: Array<{ fields: string[]; quote: boolean[]; eol: string }>): { csv: string; starts: number[] } {
  let csv = "";
  const starts: number[] = [];
  for (const { fields, quote, eol } of recs) {
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

describe("linedBatches (csv-parse)", () => {
  it("handles BOM, CRLF, LF, CR, blank lines, quoted commas, quotes and line breaks, with physical start lines", async () => {
    const csv = '\ufeffa,b\r\n1,2\r\n\r\n"x\ny","q""uote,d"\r\n4,5,6\n\n\n7\r8,"multi\r\nline\r\nvalue"\n9,';
    expect(await records([csv])).toEqual([
      { fields: ["a", "b"], line: 1 },
      { fields: ["1", "2"], line: 2 },
      { fields: ["x\ny", 'q"uote,d'], line: 4 },
      { fields: ["4", "5", "6"], line: 6 },
      { fields: ["7"], line: 9 },
      { fields: ["8", "multi\r\nline\r\nvalue"], line: 10 },
      { fields: ["9", ""], line: 13 },
    ]);
  });

  it("gives the same result whatever the chunk boundaries (down to one character per chunk), bytes or text", async () => {
    const csv = '\ufeffh1,h2\r\n"a""b",c\r\n"x\r\ny",z\r\né,"ü\rq"\r';
    const whole = await records([csv]);
    expect(await records(csv.split(""))).toEqual(whole);
    const bytes = Buffer.from(csv, "utf8");
    const byteChunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) byteChunks.push(bytes.subarray(i, i + 1));
    const out: LinedRecord[] = [];
    for await (const batch of linedBatches(
      (async function* () {
        yield* byteChunks;
      })(),
    )) {
      for (const r of batch) if (r.fields.join("") !== "") out.push(r);
    }
    expect(out).toEqual(whole);
  });

  it("keeps a quote inside an unquoted field literally", async () => {
    expect(await records(['a,b"c,d\n'])).toEqual([{ fields: ["a", 'b"c', "d"], line: 1 }]);
  });

  it("rejects an unclosed quote and text after a closing quote, naming the line where the record starts", async () => {
    expect((await failure(['a,b\n1,2\n"open,3\n4,5\n'])).message).toMatch(/Line 3: a quoted field is never closed/);
    expect((await failure(['a,b\n"x"y,2\n'])).message).toMatch(/Line 2: unexpected character "y" after a closing quote \(field 1\)/);
    expect((await failure(['a,b\n1,"x\ny"z\n'])).message).toMatch(/Line 2: unexpected character "z" after a closing quote \(field 2\)/);
    // a quoted value that itself starts with a quote is fine
    expect(await records(['a\n"""hi"""\n'])).toEqual([
      { fields: ["a"], line: 1 },
      { fields: ['"hi"'], line: 2 },
    ]);
  });

  it("reads random csv: fields, quoting, line ends, start lines and chunking", async () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r", "\r\n", "é"), maxLength: 6 });
    const record = fc.record({
      fields: fc.array(field, { minLength: 1, maxLength: 4 }),
      quote: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      eol: fc.constantFrom("\n", "\r\n", "\r\n", "\n"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 5 }), async (recs, cuts) => {
        const { csv, starts } = serialize(recs);
        const got = await records(splitAt(csv, cuts));
        const expected = recs
          .map((r, i) => ({ fields: r.fields, line: lineAt(csv, starts[i] as number) }))
          .filter((r) => !(r.fields.length === 1 && r.fields[0] === ""));
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe("linedBatches on big records", () => {
  it("reads a multi-megabyte quoted field fed in small chunks", async () => {
    const big = "x,".repeat(1_000_000);
    const csv = `a,b\n1,"${big}"\n2,3\n`;
    const chunks: string[] = [];
    for (let i = 0; i < csv.length; i += 4096) chunks.push(csv.slice(i, i + 4096));
    const out = await records(chunks);
    expect(out.map((r) => r.fields[0])).toEqual(["a", "1", "2"]);
    expect(out[1]?.fields[1]?.length).toBe(big.length);
    expect(out[2]?.line).toBe(3);
  });

  it("gives up on a quote that is never closed, naming the line where it opened", async () => {
    const csv = `a,b\n1,2\n3,"${"y".repeat(17 * 1024 * 1024)}`;
    const chunks: string[] = [];
    for (let i = 0; i < csv.length; i += 65536) chunks.push(csv.slice(i, i + 65536));
    expect((await failure(chunks)).message).toMatch(/Line 3: a record is longer than 16 MiB/);
  });
});
