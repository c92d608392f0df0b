import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MassIngestError } from "@mass-ingest/core";
import { openCsv } from "@mass-ingest/core/aws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PartitionError, selectJobRows, type JobRowsOptions } from "../../src/index.js";

let dir: string;
let csv: string;
let mixed: string;

const url = (n: number) => `https://github.com/acme/repo-${n}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "partition-job-rows-"));
  csv = join(dir, "repos.csv");
  // 7 rows: org Alpha on rows 1-3, Beta on rows 4-7
  await writeFile(
    csv,
    ["cloneUrl,branch,org1", ...[1, 2, 3, 4, 5, 6, 7].map((n) => `${url(n)},main,${n <= 3 ? "Alpha" : "Beta"}`)].join("\n") + "\n",
  );
  mixed = join(dir, "mixed.csv");
  await writeFile(
    mixed,
    [
      "cloneUrl,branch,org1",
      `${url(1)},main,Alpha`,
      `ext::sh -c touch%20/tmp/pwned,main,Alpha`,
      `${url(1)},main,Alpha`,
      `${url(4)},bad..branch,Beta`,
      `${url(5)},main,Beta`,
    ].join("\n") + "\n",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The job's options; `open` opens whichever csv the options name, the way the processor does. */
const job = (extra: Partial<Omit<JobRowsOptions, "open">> = {}): JobRowsOptions => {
  const options = { csv, start: 0, end: 0, partitions: "all", partitionSize: 2, rowCount: 0, ...extra };
  return { ...options, open: () => openCsv(options.csv) };
};

async function rejection(promise: Promise<unknown>, type: typeof MassIngestError = PartitionError): Promise<MassIngestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as MassIngestError;
}

describe("selectJobRows", () => {
  it("without start/end, partitions or array index: the whole csv, no range", async () => {
    const rows = await selectJobRows(job());
    expect(rows.range).toBeUndefined();
    expect(rows.repos.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows.skipped).toEqual([]);
    // the csv gives no origin/path: the job says, in one line, that they were derived
    expect(rows.notices).toEqual([
      "origin/path derived from cloneUrl for 7 row(s) (rows 1, 2, 3, 4, 5, 6, 7): the CLI requires both columns; set them in repos.csv to keep them stable",
    ]);
    expect((await selectJobRows(job({ start: 3, end: 4 }))).notices?.[0]).toContain("for 2 row(s) (rows 3, 4)");
  });

  it("an explicit range: exactly those rows; a single partition named is carried along", async () => {
    const rows = await selectJobRows(job({ start: 3, end: 5 }));
    expect(rows.range).toEqual({ start: 3, end: 5 });
    expect(rows.repos.map((r) => [r.row, r.cloneUrl])).toEqual([
      [3, url(3)],
      [4, url(4)],
      [5, url(5)],
    ]);
    expect((await selectJobRows(job({ start: 3, end: 4, partitions: "2" }))).range).toEqual({ partition: 2, start: 3, end: 4 });
  });

  it("an array child: the partition of its index, from the counted csv (last partition is short)", async () => {
    expect((await selectJobRows(job({ arrayIndex: 1 }))).range).toEqual({ partition: 2, start: 3, end: 4 });
    const last = await selectJobRows(job({ arrayIndex: 3 }));
    expect(last.range).toEqual({ partition: 4, start: 7, end: 7 });
    expect(last.repos.map((r) => r.row)).toEqual([7]);
    // a retry's partition list maps the index to the listed partition
    const listed = await selectJobRows(job({ arrayIndex: 1, partitions: "4,1" }));
    expect(listed.range).toEqual({ partition: 1, start: 1, end: 2 });
    expect(listed.repos.map((r) => r.row)).toEqual([1, 2]);
  });

  it("a plain job naming one partition runs that partition", async () => {
    const rows = await selectJobRows(job({ partitions: [3], partitionSize: 3 }));
    expect(rows.range).toEqual({ partition: 3, start: 7, end: 7 });
  });

  it("checks --row-count against the csv: CSV_CHANGED when it differs, fine when it matches", async () => {
    const changed = await rejection(selectJobRows(job({ rowCount: 9, arrayIndex: 0 })));
    expect(changed.code).toBe("CSV_CHANGED");
    expect(changed.message).toBe(`${csv} has 7 rows but the run was planned for --row-count 9.`);
    expect(changed.hint).toContain("re-plan");
    // checked even with an explicit range
    expect((await rejection(selectJobRows(job({ rowCount: 6, start: 1, end: 2 })))).code).toBe("CSV_CHANGED");
    expect((await selectJobRows(job({ rowCount: 7, arrayIndex: 0 }))).range).toEqual({ partition: 1, start: 1, end: 2 });
  });

  it("keeps only rows of --organization", async () => {
    const rows = await selectJobRows(job({ start: 2, end: 5, organization: "Beta" }));
    expect(rows.repos.map((r) => r.row)).toEqual([4, 5]);
    expect(rows.repos.every((r) => r.orgs.includes("Beta"))).toBe(true);
  });

  it("turns invalid rows and duplicates into skipped rows, one per row, and keeps the valid ones", async () => {
    const rows = await selectJobRows(job({ csv: mixed }));
    expect(rows.repos.map((r) => r.row)).toEqual([1, 5]);
    expect(rows.skipped.map((s) => s.row).sort()).toEqual([2, 3, 4]);
    for (const s of rows.skipped) expect(s.reason).toMatch(/^invalid row, not ingested: [A-Z_]+: /);
    expect(rows.skipped.find((s) => s.row === 3)!.reason).toMatch(/DUPLICATE/i);
    // Each skipped row names its clone URL as written, so a person can tell which repository it was.
    expect(Object.fromEntries(rows.skipped.map((s) => [s.row, s.cloneUrl]))).toEqual({
      2: "ext::sh -c touch%20/tmp/pwned",
      3: url(1),
      4: url(4),
    });
    const inRange = await selectJobRows(job({ csv: mixed, start: 4, end: 5 }));
    expect(inRange.repos.map((r) => r.row)).toEqual([5]);
    expect(inRange.skipped.map((s) => s.row)).toEqual([4]);
  });

  it("NOTHING_SELECTED when the selection holds no row at all", async () => {
    const org = await rejection(selectJobRows(job({ start: 1, end: 3, organization: "Beta" })));
    expect(org.code).toBe("NOTHING_SELECTED");
    expect(org.message).toBe(`rows 1-3 with organization Beta selects no repositories in ${csv}.`);
    expect(org.hint).toBe("Check --start/--end, --organization and the csv.");
    const past = await rejection(selectJobRows(job({ start: 50, end: 60 })));
    expect(past.message).toBe(`rows 50-60 selects no repositories in ${csv}.`);
    const all = await rejection(selectJobRows(job({ organization: "Gamma" })));
    expect(all.message).toBe(`the csv with organization Gamma selects no repositories in ${csv}.`);
  });

  it("rejects half-given or reversed start/end, bad partitions and array indexes, a missing csv", async () => {
    const half = await rejection(selectJobRows(job({ start: 3 })));
    expect(half.code).toBe("INVALID_SETTING");
    expect(half.message).toContain("--start and --end must be given together");
    expect((await rejection(selectJobRows(job({ start: 5, end: 4 })))).message).toBe("--start 5 is after --end 4.");
    expect((await rejection(selectJobRows(job({ partitions: "3,x" })))).code).toBe("INVALID_PARTITIONS");
    expect((await rejection(selectJobRows(job({ arrayIndex: 4 })))).code).toBe("INVALID_ARRAY_INDEX");
    expect((await rejection(selectJobRows(job({ arrayIndex: 2, partitions: "1,2" })))).code).toBe("INVALID_ARRAY_INDEX");
    // the opener's own error passes through unchanged
    expect((await rejection(selectJobRows(job({ csv: join(dir, "absent.csv") })), MassIngestError)).code).toBe("CSV_NOT_FOUND");
  });
});

describe("selectJobRows with a repository listed once per organization", () => {
  it("builds it once with every organization; a later job names the job that builds it", async () => {
    const perOrg = join(dir, "per-org.csv");
    await writeFile(
      perOrg,
      ["cloneUrl,branch,org1", `${url(1)},main,Alpha`, `${url(2)},main,Alpha`, `${url(1)},main,Beta`].join("\n") + "\n",
    );
    const all = await selectJobRows(job({ csv: perOrg }));
    expect(all.repos.map((r) => [r.row, r.orgs, r.otherOrgs])).toEqual([
      [1, ["Alpha"], [["Beta"]]],
      [2, ["Alpha"], undefined],
    ]);
    expect(all.skipped).toEqual([]);
    // --organization Beta finds it through its other listing
    expect((await selectJobRows(job({ csv: perOrg, organization: "Beta" }))).repos.map((r) => r.row)).toEqual([1]);
    // a job that runs only row 3 does not build it again
    const later = await selectJobRows(job({ csv: perOrg, start: 3, end: 3 }));
    expect(later.repos).toEqual([]);
    expect(later.skipped.map((s) => s.row)).toEqual([3]);
    expect(later.skipped[0]!.reason).toMatch(/^built by the job that runs row 1: /);
  });
});
