import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  PartitionError,
  countRows,
  parseRepos,
  planBySize,
  readRepos,
  selectRange,
  selectRows,
  toCsv,
  validateRepos,
  type RepoRow,
} from "../src/index.js";
import { tempDir, text } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const MIXED = [
  "CLONEURL,Branch,Org1,org2,ORG3,Team",
  "https://github.com/a/one.git,main,Platform,ALL,,core", // row 1
  "https://github.com/a/two.git,,Platform,,,", // row 2
  "ext::sh -c x,main,,,,", // row 3 invalid
  "https://github.com/a/one,main,,,,", // row 4 duplicate of row 1 (.git ignored)
  "",
  "https://github.com/a/one.git,dev,,,,", // row 5 (other branch: not a duplicate)
  "https://github.com/a/three.git,a..b,,,,", // row 6 invalid
  "https://github.com/a/two.git,,,,,", // row 7 duplicate of row 2
  "git@github.com:a/four.git,main,X,,Z,", // row 8
].join("\r\n");

describe("readRepos", () => {
  it("strict mode throws INVALID_ROWS listing every problem and plans nothing", async () => {
    const err = await readRepos(text(MIXED)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartitionError);
    const pe = err as PartitionError;
    expect(pe.code).toBe("INVALID_ROWS");
    expect(pe.issues?.map((i) => [i.code, i.row, i.line])).toEqual([
      ["REMOTE_HELPER_TRANSPORT", 3, 4],
      ["INVALID_BRANCH", 6, 8],
    ]);
    expect(pe.message).toContain('line 4 (row 3), column "CLONEURL"');
    expect(pe.hint).toMatch(/lenient/);
  });

  it("lenient mode leaves invalid rows and duplicates out and reports them", async () => {
    const result = await readRepos(text(MIXED), { mode: "lenient" });
    expect(result.rowCount).toBe(8);
    expect(result.repos.map((r) => r.row)).toEqual([1, 2, 5, 8]);
    expect(result.issues.map((i) => i.row)).toEqual([3, 6]);
    expect(result.duplicates.map((d) => [d.code, d.row, d.line])).toEqual([
      ["DUPLICATE_ROW", 4, 5],
      ["DUPLICATE_ROW", 7, 9],
    ]);
    expect(result.duplicates[0]?.message).toContain("row 1");
    expect(result.unknownColumns).toEqual(["Team"]);
  });

  it("matches headers case-insensitively, keeps orgs in order and unknown columns verbatim", async () => {
    const { repos } = await readRepos(text(MIXED), { mode: "lenient" });
    expect(repos[0]).toEqual({
      row: 1,
      line: 2,
      cloneUrl: "https://github.com/a/one.git",
      branch: "main",
      origin: "github.com",
      path: "a/one",
      derived: ["origin", "path"],
      orgs: ["Platform", "ALL"],
      extra: { Team: "core" },
    });
    expect(repos[1]?.orgs).toEqual(["Platform"]);
    expect(repos[3]?.orgs).toEqual(["X", "", "Z"]);
  });

  it("orders org columns by number, wherever they are", async () => {
    const { repos } = await readRepos(text("org2,cloneUrl,org10,org1\nB,https://github.com/a/b.git,J,A\n"));
    expect(repos[0]?.orgs).toEqual(["A", "B", "J"]);
  });

  it("reads files, Buffers split inside a multi-byte character, and reports unreadable files", async () => {
    const csv = "\ufeffcloneUrl,org1\nhttps://github.com/a/b.git,Équipe\n";
    const path = tmp.file("utf8.csv", csv);
    expect((await readRepos(path)).repos[0]?.orgs).toEqual(["Équipe"]);
    const bytes = Buffer.from(csv, "utf8");
    const cut = bytes.indexOf(Buffer.from("É")) + 1;
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, cut), bytes.subarray(cut)];
    expect((await readRepos(chunks as unknown as AsyncIterable<Uint8Array>)).repos[0]?.orgs).toEqual(["Équipe"]);
    await expect(readRepos(`${tmp.dir}/missing.csv`)).rejects.toMatchObject({ code: "SOURCE_UNREADABLE" });
  });

  it("a header-only file has no rows", async () => {
    expect((await readRepos(text("cloneUrl,branch\n"))).rowCount).toBe(0);
  });

  it("validateRepos reports like readRepos without keeping rows", async () => {
    const { repos, derived, ...expected } = await readRepos(text(MIXED), { mode: "lenient" });
    expect(repos).toHaveLength(4);
    const { derived: validated, ...rest } = await validateRepos(text(MIXED), { mode: "lenient" });
    expect(rest).toEqual(expected);
    // the same rows get the notice; only a read that builds the rows names the derived values
    expect(validated?.map((n) => [n.code, n.row, n.column])).toEqual(derived?.map((n) => [n.code, n.row, n.column]));
    expect(derived?.[0]?.message).toContain('origin "github.com", path "a/one"');
  });

  it("parseRepos reports the header once through onHeader and yields every record", async () => {
    const headers: unknown[] = [];
    const oks: boolean[] = [];
    for await (const rec of parseRepos(text(MIXED), { onHeader: (h) => headers.push(h) })) oks.push(rec.ok);
    expect(headers).toEqual([{ columns: ["CLONEURL", "Branch", "Org1", "org2", "ORG3", "Team"], unknownColumns: ["Team"], line: 1 }]);
    expect(oks).toEqual([true, true, false, true, true, false, true, true]); // duplicates are readRepos' business
  });
});

describe("countRows", () => {
  it("counts data rows: header excluded, blank lines skipped, quoted line breaks inside one row", async () => {
    expect(await countRows(text(MIXED))).toBe(8);
    expect(await countRows(text('cloneUrl,notes\n\nx,"a\nb\n\nc"\n\n\ny,z'))).toBe(2);
  });
});

/** A source that yields one line at a time and records how far it was read and whether it was closed. */
function lazyLines(lines: string[]): { source: AsyncIterable<string>; pulled: () => number; closed: () => boolean } {
  let pulled = 0;
  let closed = false;
  async function* gen(): AsyncGenerator<string> {
    try {
      for (const l of lines) {
        pulled++;
        yield `${l}\n`;
      }
    } finally {
      closed = true;
    }
  }
  return { source: gen(), pulled: () => pulled, closed: () => closed };
}

describe("selectRange / selectRows", () => {
  it("selects rows start..end and stops reading after end", async () => {
    const lines = ["cloneUrl", ...Array.from({ length: 1000 }, (_, i) => `https://github.com/o/r${i + 1}.git`), '"never closed'];
    const lazy = lazyLines(lines);
    const result = await selectRange(lazy.source, { start: 3, end: 5 });
    expect(result.repos.map((r) => [r.row, r.path])).toEqual([
      [3, "o/r3"],
      [4, "o/r4"],
      [5, "o/r5"],
    ]);
    expect(result.rowCount).toBe(3);
    expect(lazy.pulled()).toBeLessThan(20);
    expect(lazy.closed()).toBe(true);
  });

  it("strict mode only looks at the range", async () => {
    const result = await selectRange(text(MIXED), { start: 7, end: 8 });
    expect(result.repos.map((r) => r.row)).toEqual([8]);
    expect(result.duplicates.map((d) => d.row)).toEqual([7]);
    await expect(selectRange(text(MIXED), { start: 5, end: 6 })).rejects.toMatchObject({ code: "INVALID_ROWS" });
  });

  it("a range past the end is empty; bad ranges throw", async () => {
    expect((await selectRange(text(MIXED), { start: 50, end: 60 }, { mode: "lenient" })).rowCount).toBe(0);
    await expect(selectRange(text(MIXED), { start: 0, end: 1 })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(selectRange(text(MIXED), { start: 3, end: 2 })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it.each(["stream", "file"])("partitions together read exactly what one whole read does (%s)", async (kind) => {
    const path = tmp.file("mixed.csv", MIXED);
    const source = () => (kind === "file" ? path : text(MIXED));
    const whole = await readRepos(text(MIXED), { mode: "lenient" });
    for (let size = 1; size <= 9; size++) {
      const parts = await Promise.all(
        planBySize(whole.rowCount, size).partitions.map((p) => selectRange(source(), p, { mode: "lenient" })),
      );
      expect(parts.flatMap((p) => p.repos)).toEqual(whole.repos);
      expect(parts.flatMap((p) => p.duplicates)).toEqual(whole.duplicates);
      expect(parts.flatMap((p) => p.issues)).toEqual(whole.issues);
      expect(parts.reduce((s, p) => s + p.rowCount, 0)).toBe(whole.rowCount);
    }
  });

  it("property: any selection of rows reads what a whole read reads for those rows (file and stream)", async () => {
    const lines = ["cloneUrl,branch"];
    const urls = ["https://github.com/o/a.git", "https://github.com/o/b", "git@github.com:o/c.git", "ext::bad"];
    for (let i = 0; i < 40; i++) lines.push(`${urls[(i * 7) % 4]},${["main", "", "dev", "a..b"][(i * 3) % 4]}`);
    const csv = lines.join("\n");
    const path = tmp.file("dups.csv", csv);
    const whole = await readRepos(path, { mode: "lenient" });
    expect(whole.duplicates.length).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 15 }), async (rows) => {
        const set = new Set(rows);
        for (const source of [path, text(csv)]) {
          const got = await selectRows(source, rows, { mode: "lenient" });
          expect(got.repos).toEqual(whole.repos.filter((r) => set.has(r.row)));
          expect(got.duplicates).toEqual(whole.duplicates.filter((d) => set.has(d.row)));
          expect(got.issues).toEqual(whole.issues.filter((d) => set.has(d.row)));
          expect(got.rowCount).toBe(set.size);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("selectRows reads the rows of a weighted partition", async () => {
    const whole = await readRepos(text(MIXED), { mode: "lenient" });
    // non-contiguous rows, as a time plan (@mass-ingest/state planByTime) deals them out
    const rows3 = [0, 1, 2].map((k) =>
      Array.from({ length: whole.rowCount }, (_, i) => i + 1).filter((row) => ((row * 37) % 11) % 3 === k),
    );
    const parts = await Promise.all(rows3.map((rows) => selectRows(text(MIXED), rows, { mode: "lenient" })));
    const rows = parts.flatMap((p) => p.repos.map((r) => r.row)).sort((a, b) => a - b);
    expect(rows).toEqual(whole.repos.map((r) => r.row));
    expect((await selectRows(text(MIXED), [8, 1], { mode: "lenient" })).repos.map((r) => r.row)).toEqual([1, 8]);
  });
});

describe("toCsv", () => {
  // toCsv writes origin and path, so a derived origin/path reads back as given
  const strip = (rows: RepoRow[]) => rows.map(({ line: _line, derived: _derived, ...rest }) => rest);

  it("round-trips tricky values through parseRepos", async () => {
    const csv = [
      "cloneUrl,branch,origin,path,jvmopts,mavenArgs,org1,org2,notes",
      'https://github.com/a/b.git,main,,,"-Xmx1g -Da=b,c","-Dq=""x""",Team,,"multi\nline, with ""quotes"""',
      "git@host:x/y.git,,,,,,,Z,  padded  ",
      "https://example.com/c/d.git,,example.com,c/d,,,,,",
    ].join("\n");
    const first = await readRepos(text(csv));
    const again = await readRepos(text(toCsv(first.repos)));
    expect(strip(again.repos)).toEqual(strip(first.repos));
    expect(again.repos[1]?.extra.notes).toBe("  padded  ");
  });

  it("property: random valid rows round-trip", async () => {
    const safe = fc.string({ unit: fc.constantFrom("a", "B", "1", " ", ",", '"', "\n", "é", "-", "="), maxLength: 8 });
    const rowArb = fc.record({
      url: fc.constantFrom("https://github.com/o/r", "git@gitlab.com:g/s/r", "ssh://git@h:7999/p/r"),
      branch: fc.option(fc.constantFrom("main", "release/1.x", "feature/a-b"), { nil: undefined }),
      jvmopts: safe.map((s) => s.replace(/[\r\n]/g, "")),
      notes: safe,
      orgs: fc.array(fc.constantFrom("A", "B c", "d,e"), { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 6 }), async (rows) => {
        const repos: RepoRow[] = rows.map((r, i) => {
          const repo: RepoRow = {
            row: i + 1,
            line: 0,
            cloneUrl: `${r.url}${i}.git`, // unique: duplicates would be left out
            origin: "o",
            path: `p/${i}`,
            orgs: r.orgs,
            extra: { notes: r.notes },
          };
          if (r.branch !== undefined) repo.branch = r.branch;
          if (r.jvmopts.trim() !== "") repo.jvmopts = r.jvmopts.trim();
          return repo;
        });
        const back = await readRepos(text(toCsv(repos)));
        expect(strip(back.repos)).toEqual(strip(repos));
      }),
      { numRuns: 150 },
    );
  });
});
