// The predicted makespan of `submit --dry-run` with a state store is for the plan's parallelism (local:
// --parallel; Batch: --workers, else one worker per partition), and local plans keep whole partitions.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStateStore } from "@mass-ingest/state";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunker, seedNight } from "./helpers.js";

const MIN = 60_000;
let git: GitServer;
let mod: ModStandIn;
let dir: string;
let csv: string;
let state: string;
const names = Array.from({ length: 8 }, (_, i) => `team/m${i + 1}`);

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  for (const n of names) await git.createRepo(n);
  dir = await mkdtemp(join(tmpdir(), "chunker-makespan-"));
  csv = join(dir, "repos.csv");
  state = join(dir, "state");
  await writeFile(csv, ["cloneUrl,branch", ...names.map((n) => `${git.httpUrl(n)},main`)].join("\n") + "\n");
  // every repository took exactly 10 minutes last night (sync 10 ms + build + publish 5 ms): 80 minutes of work
  await seedNight(openStateStore(state), csv, "n1", mod, { buildMs: 10 * MIN - 15 });
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface DryRun {
  predictedMakespanMs: number;
  parallelism: number | null;
  partitions: { predictedMs: number; rows: number[] }[];
}

async function dryRun(extra: string[]): Promise<DryRun> {
  const r = await chunker(["submit", csv, "--dry-run", "--state", state, "--run-id", "dry", "--full", ...extra], {
    ...mod.env,
    MOD_CLI: mod.command,
  });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as DryRun;
}

describe("predicted makespan with the plan's parallelism", () => {
  it("local --parallel 2: 80 minutes of work is predicted at the 40-minute lower bound, in whole partitions", async () => {
    const tight = await dryRun(["--executor", "local", "--parallel", "2", "--time-budget", "30m"]);
    expect(tight.parallelism).toBe(2);
    expect(tight.partitions.map((p) => p.rows.length)).toEqual([2, 2, 2, 2]);
    expect(tight.predictedMakespanMs).toBe(40 * MIN);
    // the default budget (48 min) holds 4 repositories: one partition per process
    const roomy = await dryRun(["--executor", "local", "--parallel", "2"]);
    expect(roomy.partitions.map((p) => p.rows.length)).toEqual([4, 4]);
    expect(roomy.predictedMakespanMs).toBe(40 * MIN);
  });

  it("Batch: --workers is the parallelism; without it every partition runs at once", async () => {
    const workers = await dryRun(["--job-queue", "q", "--job-definition", "d", "--workers", "2", "--time-budget", "30m"]);
    expect(workers.parallelism).toBe(2);
    expect(workers.predictedMakespanMs).toBe(40 * MIN);
    const array = await dryRun(["--job-queue", "q", "--job-definition", "d", "--time-budget", "30m"]);
    expect(array.parallelism).toBeNull();
    expect(array.predictedMakespanMs).toBe(Math.max(...array.partitions.map((p) => p.predictedMs)));
  });
});
