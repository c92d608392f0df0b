// `status <run|latest> --close` (issue 19 item 6): a run whose processors never recorded anything stays "no
// result: still going" forever; closing it records its partitions as never reached (not-started), drops it from
// the state's pending runs, and status then says it was closed, still exiting 1 (the run did not finish).
import { readFile, mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chunker } from "./helpers.js";

// records its arguments and exits 0 without writing a result: the run never finishes
const fakeProcessor = fileURLToPath(new URL("../../../../packages/batch/test/fixtures/fake-processor.mjs", import.meta.url));
let git: GitServer;
let mod: ModStandIn;
let dir: string;

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  for (const n of ["close/a", "close/b", "close/c"]) await git.createRepo(n);
  dir = await mkdtemp(join(tmpdir(), "chunker-close-"));
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("status latest --close ends a run that will never finish: not-started recorded, no longer pending, exit 1", async () => {
  const csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", ...["close/a", "close/b", "close/c"].map((n) => `${git.httpUrl(n)},main`)].join("\n") + "\n");
  const dataDir = join(dir, "data");
  const record = join(dir, "record");
  await mkdir(record);
  const env = { ...mod.env, MOD_CLI: mod.command, DATA_DIR: dataDir, RECORD_DIR: record };
  const submit = await chunker(
    [
      "submit",
      csv,
      "--executor",
      "local",
      "--run-id",
      "stuck",
      "--partition-size",
      "2",
      "--processor",
      `${process.execPath} ${fakeProcessor}`,
    ],
    env,
  );
  expect(submit.code, submit.stderr).toBe(0);
  const stateFile = join(dataDir, "state", "state.json");
  expect(JSON.parse(await readFile(stateFile, "utf8")).pendingRuns).toEqual(["stuck"]);

  const before = await chunker(["status", "latest"], env);
  expect(before.code).toBe(1);
  expect(before.stdout).toContain("3 planned repositories have no result: the run is still going, was interrupted or never ran");

  const all = await chunker(["status", "all", "--close"], env);
  expect(all.code).toBe(2);
  expect(all.stderr).toContain("CLOSE_NEEDS_RUN");

  const close = await chunker(["status", "latest", "--close", "--reason", "the processors never recorded"], env);
  expect(close.code, close.stderr).toBe(1); // closed, but the run did not finish (item 8's rule)
  expect(close.stdout).toContain("run stuck closed: 3 planned repositories in 2 partitions never reached, recorded not-started");
  expect(close.stdout).toMatch(
    /closed \S+Z \(the processors never recorded\): 3 planned repositories never reached, recorded not-started \(2 partitions: 1, 2\)/,
  );
  expect(close.stdout).not.toContain("still going");
  const closed = JSON.parse(await readFile(join(dataDir, "state", "runs", "stuck", "closed.json"), "utf8"));
  expect(closed).toMatchObject({ kind: "mass-ingest/run-closed", runId: "stuck", reason: "the processors never recorded" });
  // every planned repository, in its partition of the plan, outcome not-started
  const manifest = JSON.parse(await readFile(join(dataDir, "state", "runs", "stuck", "manifest.json"), "utf8"));
  const planned = manifest.partitions.map((p: { partition: number; rows: { row: number }[] }) => [p.partition, p.rows.map((r) => r.row)]);
  expect(closed.notReached.map((p: { partition: number; outcome: string; rows: number[] }) => [p.outcome, p.partition, p.rows])).toEqual(
    planned.map(([partition, rows]: [number, number[]]) => ["not-started", partition, rows]),
  );
  expect(JSON.parse(await readFile(stateFile, "utf8")).pendingRuns).toEqual([]);

  const after = await chunker(["status", "stuck", "--json"], env);
  expect(after.code).toBe(1);
  expect(JSON.parse(after.stdout)[0]).toMatchObject({ runId: "stuck", notStarted: 3, closed: { partitions: [1, 2] } });
});
