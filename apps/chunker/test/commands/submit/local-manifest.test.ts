// The local executor's second input kind: a run manifest, as AWS Batch runs it (array form, child i = partition i + 1).
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROCESSOR_COMMAND } from "@mass-ingest/contract";
import { afterEach, beforeEach, expect, it } from "vitest";
import { localChildren, runLocal } from "../../../src/commands/submit/local-executor.js";

let dir: string;
let processor: string;

// Records its arguments and array index as <array index>.json; EXIT_CODES "1:3" = array index 1 exits 3.
const recorder = `import { writeFileSync } from "node:fs";
const index = process.env.AWS_BATCH_JOB_ARRAY_INDEX;
writeFileSync(process.env.RECORD_DIR + "/" + index + ".json", JSON.stringify({ args: process.argv.slice(2), index }));
const codes = Object.fromEntries((process.env.EXIT_CODES ?? "").split(",").filter(Boolean).map((p) => p.split(":")));
process.exit(Number(codes[index] ?? 0));
`;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "chunker-local-manifest-"));
  processor = join(dir, "recorder.mjs");
  await writeFile(processor, recorder);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const manifest = { location: "/state/runs/m-1/manifest.json", rowCount: 23, partitionSize: 5, partitions: 3 };

it("runs one child per manifest partition with --plan and array index i for partition i + 1, no rows of its own", async () => {
  const result = await runLocal({
    manifest,
    csv: "/data/repos.csv",
    runId: "m-1",
    command: [process.execPath, processor],
    env: { RECORD_DIR: dir, EXIT_CODES: "1:3" },
  });
  expect(result.exitCode).toBe(1);
  expect(result.partitions.map((p) => [p.partition, p.ok, p.exitCode])).toEqual([
    [1, true, 0],
    [2, false, 3],
    [3, true, 0],
  ]);
  // A manifest's partition has no row range: the manifest decides its rows.
  for (const p of result.partitions) expect(p).not.toHaveProperty("start");
  expect((await readdir(dir)).filter((f) => f.endsWith(".json")).sort()).toEqual(["0.json", "1.json", "2.json"]);
  const second = JSON.parse(await readFile(join(dir, "1.json"), "utf8"));
  expect(second.index).toBe("1");
  expect(second.args).toEqual([
    "/data/repos.csv",
    "--partition-size",
    "5",
    "--row-count",
    "23",
    "--run-id",
    "m-1",
    "--start",
    "0",
    "--end",
    "0",
    "--partitions",
    "all",
    "--plan",
    manifest.location,
  ]);
  expect(second.args.filter((a: string) => a.startsWith("--"))).toEqual(PROCESSOR_COMMAND.filter((a) => a.startsWith("--")));
});

it("gives row ranges their own start/end and no array index", () => {
  const children = localChildren({
    partitions: [
      { partition: 1, start: 1, end: 5 },
      { partition: 2, start: 6, end: 8 },
    ],
    rowCount: 8,
    partitionSize: 5,
    csv: "/data/repos.csv",
    runId: "r-1",
  });
  expect(children.map((c) => [c.partition, c.rows, c.arrayIndex])).toEqual([
    [1, { start: 1, end: 5 }, undefined],
    [2, { start: 6, end: 8 }, undefined],
  ]);
  expect(children[1]!.args.slice(7, 13)).toEqual(["--start", "6", "--end", "8", "--partitions", "2"]);
});
