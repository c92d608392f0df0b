import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROCESSOR_COMMAND } from "@mass-ingest/contract";
import { MassIngestError } from "@mass-ingest/core";
import { planBySize } from "@mass-ingest/partition";
import { afterEach, beforeEach, expect, it } from "vitest";
import { runLocal } from "../../../src/commands/submit/local-executor.js";

const fake = fileURLToPath(new URL("../../../../../packages/batch/test/fixtures/fake-processor.mjs", import.meta.url));
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "chunker-local-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = (exitCodes = "") => ({
  partitions: planBySize(23, 5).partitions,
  csv: "/data/repos.csv",
  partitionSize: 5,
  rowCount: 23,
  runId: "local-1",
  command: [process.execPath, fake],
  parallel: 2,
  env: { RECORD_DIR: dir, EXIT_CODES: exitCodes, AWS_BATCH_JOB_ARRAY_INDEX: "7" },
});

it("runs every partition with the job definition's command line and exits 0 when all succeed", async () => {
  const done: number[] = [];
  const result = await runLocal({ ...base(), onPartitionDone: (r) => done.push(r.partition) });
  expect(result.exitCode).toBe(0);
  expect(result.succeeded).toBe(5);
  expect(done.sort()).toEqual([1, 2, 3, 4, 5]);
  expect((await readdir(dir)).sort()).toEqual(["1.json", "2.json", "3.json", "4.json", "5.json"]);
  const fifth = JSON.parse(await readFile(join(dir, "5.json"), "utf8"));
  expect(fifth.args).toEqual([
    "/data/repos.csv",
    "--partition-size",
    "5",
    "--row-count",
    "23",
    "--run-id",
    "local-1",
    "--start",
    "21",
    "--end",
    "23",
    "--partitions",
    "5",
    "--plan",
    "none",
  ]);
  // Same flags, in the same order, as the Batch job definition's command.
  expect(fifth.args.filter((a: string) => a.startsWith("--"))).toEqual(PROCESSOR_COMMAND.filter((a) => a.startsWith("--")));
  expect(fifth.arrayIndex).toBeNull();
});

it("exits 1 when some partitions fail and reports them with their output", async () => {
  const result = await runLocal(base("2:1,4:3"));
  expect(result.exitCode).toBe(1);
  expect(result.failed).toBe(2);
  const failed = result.partitions.filter((p) => !p.ok);
  expect(failed.map((p) => [p.partition, p.exitCode])).toEqual([
    [2, 1],
    [4, 3],
  ]);
  expect(failed[0]!.output).toContain("partition 2 failed on purpose");
  expect((await readdir(dir)).length).toBe(5);
});

it("exits 2 when every partition reports bad input", async () => {
  const result = await runLocal(base("1:2,2:2,3:2,4:2,5:2"));
  expect(result.exitCode).toBe(2);
});

it("throws PROCESSOR_NOT_FOUND (exit 2) when the processor cannot be started", async () => {
  const error = await runLocal({ ...base(), command: [join(dir, "no-such-processor")] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MassIngestError);
  expect(error).toMatchObject({ code: "PROCESSOR_NOT_FOUND", exitCode: 2 });
});

it("stops on abort: running children are terminated, queued partitions skipped, exit 130", async () => {
  const controller = new AbortController();
  const opts = base();
  const promise = runLocal({ ...opts, parallel: 1, env: { ...opts.env, SLEEP_MS: "5000" }, signal: controller.signal });
  setTimeout(() => controller.abort("SIGINT"), 500);
  const result = await promise;
  expect(result.exitCode).toBe(130);
  expect(result.partitions.filter((p) => p.skipped).length).toBeGreaterThanOrEqual(3);
});
