// The processor alone on a whole csv (scripts/run.sh, processor:start) with the default state store
// (<DATA_DIR>/state): the second run builds only what changed; --no-state builds everything as before; inside
// AWS Batch (AWS_BATCH_JOB_ID set) it never selects on its own.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runProcessorChild } from "./helpers.js";

let git: GitServer;
let mod: ModStandIn;
let dir: string;
let csv: string;
const names = ["solo/a", "solo/b", "solo/c"];

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  for (const n of names) await git.createRepo(n);
  dir = await mkdtemp(path.join(os.tmpdir(), "processor-alone-"));
  csv = path.join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", ...names.map((n) => `${git.httpUrl(n)},main`), "not a url,main"].join("\n") + "\n");
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = (dataDir: string, extra: Record<string, string | undefined> = {}) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...mod.env,
  MOD_CLI: mod.command,
  DATA_DIR: dataDir,
  ...extra,
});
/** Rows (of the first csv: solo/a = 1) the stand-in built since the last reset (one per call: folders named by repository). */
const built = async () =>
  (await mod.calls())
    .filter((c) => c.argv[0] === "build" && !c.argv.includes("--help"))
    .map((c) => " abc".indexOf(/solo-([abc])-main-/.exec(c.argv[1] ?? "")?.[1] ?? "?"))
    .sort();

it("a second run builds only the changed repository, a third nothing; --no-state and AWS Batch build all", async () => {
  const dataDir = path.join(dir, "data");
  mod.reset();
  const first = await runProcessorChild([csv], env(dataDir));
  expect(first.code, first.stderr).toBe(1); // the invalid row is skipped
  expect(await built()).toEqual([1, 2, 3]);
  expect(existsSync(path.join(dataDir, "state", "state.json"))).toBe(true);

  await git.commit("solo/b", { "new.txt": "1" });
  mod.reset();
  const second = await runProcessorChild([csv], env(dataDir));
  expect(second.code, second.stderr).toBe(1);
  expect(await built()).toEqual([2]);
  expect(second.stderr).toContain("1 to build, 2 unchanged");

  mod.reset();
  const third = await runProcessorChild([csv], env(dataDir));
  expect(third.code, third.stderr).toBe(1); // still the invalid row
  expect(third.stdout).toContain("nothing to build");
  expect(third.stdout).toContain("1 invalid row(s) skipped");
  expect(await built()).toEqual([]);

  mod.reset();
  const noState = await runProcessorChild([csv, "--no-state"], env(dataDir));
  expect(noState.code).toBe(1);
  expect(await built()).toEqual([1, 2, 3]);
  mod.reset();
  const inBatch = await runProcessorChild([csv], env(dataDir, { AWS_BATCH_JOB_ID: "job-1" }));
  expect(inBatch.code).toBe(1);
  expect(await built()).toEqual([1, 2, 3]);
});

it("--full and --max-age force rebuilds as the chunker's do; a bad --max-age is exit 2", async () => {
  const dataDir = path.join(dir, "data-full");
  mod.reset();
  await runProcessorChild([csv], env(dataDir));
  expect(await built()).toEqual([1, 2, 3]);
  mod.reset();
  const again = await runProcessorChild([csv], env(dataDir));
  expect(again.stdout).toContain("nothing to build");
  expect(await built()).toEqual([]);

  mod.reset();
  const full = await runProcessorChild([csv, "--full"], env(dataDir));
  expect(full.code, full.stderr).toBe(1); // the invalid row
  expect(await built()).toEqual([1, 2, 3]);
  mod.reset();
  const stale = await runProcessorChild([csv, "--max-age", "0"], env(dataDir));
  expect(stale.code, stale.stderr).toBe(1);
  expect(await built()).toEqual([1, 2, 3]);
  mod.reset();
  const young = await runProcessorChild([csv, "--max-age", "7d"], env(dataDir));
  expect(young.stdout).toContain("nothing to build");

  const bad = await runProcessorChild([csv, "--max-age", "soon"], env(dataDir));
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--max-age must be a duration");
});
