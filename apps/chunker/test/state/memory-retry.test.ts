// The memory retry against moto_server's Batch (use_docker false: jobs are recorded, not run; the fixture's second
// processor job definition stands for the larger one): `retry --state`
// submits the repositories that failed for memory as a run of their own on the larger job definition, the others
// on the run's own; without a larger one, each memory failure is logged with the size it needs.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBatchApi } from "@mass-ingest/batch";
import { PROCESSOR_PARAMETERS } from "@mass-ingest/contract";
import { openStateStore } from "@mass-ingest/state";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBatchEnv, describeJob, type BatchEnv } from "../../../../packages/batch/test/fixtures/batch-env.js";
import { chunker, seedNight } from "./helpers.js";

let moto: Moto;
let batch: BatchEnv;
let git: GitServer;
let mod: ModStandIn;
let dir: string;
let csv: string;
const names = ["team/m1", "team/m2", "team/m3", "team/m4"];

beforeAll(async () => {
  [moto, git] = await Promise.all([startMoto(), startGitServer({ daemon: false })]);
  batch = await createBatchEnv(moto, "mem");
  mod = createModStandIn();
  for (const n of names) await git.createRepo(n);
  dir = await mkdtemp(join(tmpdir(), "chunker-memory-retry-"));
  csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl", ...names.map((n) => git.httpUrl(n))].join("\n") + "\n");
  const store = openStateStore(join(dir, "state"));
  // row 2 ran out of memory (its build had 2048 MiB), row 3 failed to compile, the others built
  await seedNight(store, csv, "night-1", mod, {
    outcome: (row) => (row === 2 || row === 3 ? "failed" : "ok"),
    extra: (row) => (row === 2 ? { cause: "memory", memoryMiB: 2048 } : row === 3 ? { cause: "build" } : {}),
  });
  store.close();
});
afterAll(async () => {
  batch?.client.destroy();
  await Promise.all([moto?.stop(), git?.stop()]);
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const retry = (args: string[], env: Record<string, string | undefined> = {}) =>
  chunker(
    ["retry", "night-1", "--state", join(dir, "state"), "--job-queue", batch.queue, "--job-definition", batch.jobDefinition, ...args],
    {
      ...moto.env,
      JOB_DEFINITION_LARGE: undefined,
      ...env,
    },
  );

/** The rows of a run's manifest. */
const plannedRows = async (runId: string) =>
  (
    JSON.parse(await readFile(join(dir, "state", "runs", runId, "manifest.json"), "utf8")) as { partitions: { rows: { row: number }[] }[] }
  ).partitions
    .flatMap((p) => p.rows.map((r) => r.row))
    .sort();

it("without a larger job definition: one retry run, and the memory failure logged with the size it needs", async () => {
  const r = await retry(["--dry-run", "--run-id", "dry"]);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({
    dryRun: true,
    runId: "night-1",
    retryRunId: "dry",
    repos: 2,
    partitions: [expect.objectContaining({ rows: [2, 3] })],
  });
  expect(r.stderr).toMatch(/row 2 \(\S+\) failed for memory: needs more than 2048 MiB; set processor.largeMemoryMiB/);
});

it("with one (JOB_DEFINITION_LARGE): the memory failure runs on it as run <retry>-large, the others on the run's own", async () => {
  const r = await retry(["--run-id", "r1", "--json"], { JOB_DEFINITION_LARGE: batch.jobDefinitionWithSecrets });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/needs more than/);
  expect(await plannedRows("r1")).toEqual([3]);
  expect(await plannedRows("r1-large")).toEqual([2]);
  const listed = await createBatchApi({ client: batch.client }).listJobs({
    jobQueue: batch.queue,
    filters: [{ name: "JOB_NAME", values: ["mass-ingest-r1*"] }],
  });
  const jobs = (listed.jobSummaryList ?? []).filter((j) => !j.jobId!.includes(":"));
  const submitted = await Promise.all(jobs.map((j) => describeJob(batch, j.jobId!)));
  const byPlan = Object.fromEntries(
    submitted.map((j) => [j.parameters?.[PROCESSOR_PARAMETERS.plan]?.split("/runs/")[1]?.split("/")[0], j.jobDefinition?.split("/").pop()]),
  );
  expect(byPlan).toEqual({ r1: "mem-processor:1", "r1-large": `${batch.jobDefinitionWithSecrets}:1` });
});
