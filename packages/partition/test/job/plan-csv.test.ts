import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openCsv } from "@mass-ingest/core/aws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planCsv, readRepos, type CsvPlanOptions } from "../../src/index.js";

let dir: string;
let clean: string;
let mixed: string;
let empty: string;

const url = (n: number) => `https://github.com/acme/repo-${n}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "partition-plan-csv-"));
  clean = join(dir, "clean.csv");
  await writeFile(clean, ["cloneUrl,branch", ...[1, 2, 3, 4, 5].map((n) => `${url(n)},main`)].join("\n") + "\n");
  mixed = join(dir, "mixed.csv");
  await writeFile(
    mixed,
    [
      "cloneUrl,branch",
      `${url(1)},main`,
      "ext::sh -c touch%20/tmp/pwned,main",
      `${url(1)},main`,
      `${url(4)},bad..branch`,
      `${url(5)},main`,
    ].join("\n") + "\n",
  );
  empty = join(dir, "empty.csv");
  await writeFile(empty, "cloneUrl,branch\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const opts = (csv: string, extra: Omit<CsvPlanOptions, "open">): CsvPlanOptions => ({ ...extra, open: () => openCsv(csv) });

describe("planCsv", () => {
  it("plans every data row by size and counts nothing wrong in a clean csv", async () => {
    const result = await planCsv(clean, opts(clean, { partitionSize: 2 }));
    expect(result.plan.partitions).toEqual([
      { partition: 1, start: 1, end: 2 },
      { partition: 2, start: 3, end: 4 },
      { partition: 3, start: 5, end: 5 },
    ]);
    expect(result).toMatchObject({ invalidRows: 0, duplicateRows: 0, examples: [] });
  });

  it("keepRepos: the valid rows from the same pass, as readRepos (lenient) reads them; none without it", async () => {
    const kept = await planCsv(mixed, opts(mixed, { partitionSize: 2, keepRepos: true }));
    const read = await readRepos(await openCsv(mixed), { mode: "lenient" });
    expect(kept.repos?.map((r) => [r.row, r.cloneUrl])).toEqual(read.repos.map((r) => [r.row, r.cloneUrl]));
    expect(kept.repos?.map((r) => r.row)).toEqual([1, 5]);
    expect(kept.derived).toEqual(read.derived);
    expect(kept.invalidRows).toBe(2);
    expect((await planCsv(mixed, opts(mixed, { partitionSize: 2 }))).repos).toBeUndefined();
  });

  it("lenient: plans over all rows (invalid ones included, the processors skip them) and names the problems", async () => {
    const result = await planCsv(mixed, opts(mixed, { partitionSize: 2 }));
    expect(result.plan.rowCount).toBe(5);
    expect(result.invalidRows).toBe(2);
    expect(result.duplicateRows).toBe(1);
    expect(result.examples.map((i) => [i.row, i.line, i.code])).toEqual([
      [2, 3, "REMOTE_HELPER_TRANSPORT"],
      [4, 5, expect.any(String)],
      [3, 4, "DUPLICATE_ROW"],
    ]);
    const few = await planCsv(mixed, opts(mixed, { partitionSize: 2, examples: 1 }));
    expect(few.examples.map((i) => i.row)).toEqual([2, 3]);
  });

  it("strict: any invalid row is an error listing every problem, nothing planned", async () => {
    const error = await planCsv(mixed, opts(mixed, { partitionSize: 2, strict: true })).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
    expect(error?.code).toBe("INVALID_ROWS");
    expect(error?.message).toContain("line 3 (row 2)");
    expect(error?.message).toContain("line 5 (row 4)");
    expect(error?.message).toContain("bad..branch");
    expect(error?.hint).toContain("--strict");
  });

  it("a csv with a header and no row is EMPTY_CSV", async () => {
    await expect(planCsv(empty, opts(empty, { partitionSize: 2 }))).rejects.toMatchObject({ code: "EMPTY_CSV", exitCode: 2 });
  });

  it("an empty file is EMPTY_FILE naming the file, not the input stream", async () => {
    const blank = join(dir, "blank.csv");
    await writeFile(blank, "");
    const error = await planCsv(blank, opts(blank, { partitionSize: 2 })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: "EMPTY_FILE", exitCode: 2 });
    expect(error?.message).toBe(`${blank} is empty: no header row.`);
  });
});
