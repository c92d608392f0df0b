// The processor as an AWS Batch array child of a run planned in a state store on S3 (moto_server): the rows of its
// partition, a result record per repository with the commit built, and resume: an attempt of the same partition
// does not rebuild what finished ok.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@mass-ingest/core/aws";
import { readRepos } from "@mass-ingest/partition";
import { cliVersion, csvSha256, openStateStore, prepareRun, recordRun, type StateStore } from "@mass-ingest/state";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runProcessorChild } from "./helpers.js";

let git: GitServer;
let mod: ModStandIn;
let moto: Moto;
let dir: string;
let csv: string;
const heads = new Map<string, string>();
const names = ["plan/a", "plan/b", "plan/c", "plan/d"];

beforeAll(async () => {
  [git, moto] = await Promise.all([startGitServer({ daemon: false }), startMoto()]);
  mod = createModStandIn();
  for (const n of names) heads.set(n, (await git.createRepo(n)).head);
  dir = await mkdtemp(path.join(os.tmpdir(), "processor-plan-"));
  csv = path.join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", ...names.map((n) => `${git.httpUrl(n)},main`)].join("\n") + "\n");
  const s3 = createS3Client({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
  await s3.send(new CreateBucketCommand({ Bucket: "state" }));
  s3.destroy();
});
afterAll(async () => {
  mod?.cleanup();
  await Promise.all([git?.stop(), moto?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = (dataDir: string, index: number) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...mod.env,
  ...moto.env,
  MOD_CLI: mod.command,
  DATA_DIR: dataDir,
  AWS_BATCH_JOB_ARRAY_INDEX: String(index),
});
const built = async () =>
  (await mod.calls())
    .filter((c) => c.argv[0] === "build" && c.argv[1] !== "--help") // not the capability probe
    .map((c) => " abcd".indexOf(/plan-([a-d])-main-/.exec(c.argv[1] ?? "")?.[1] ?? "?")) // folders by repository: plan/a is row 1
    .sort((a, b) => a - b);
const rowsOf = (p: { rows: { row: number }[] }) => p.rows.map((r) => r.row).sort((a, b) => a - b);

it("runs its partition of a plan in S3, records each repository with its commit, and resumes without rebuilding", async () => {
  const store: StateStore = openStateStore("s3://state/nightly", {
    aws: { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials },
  });
  const { repos, rowCount } = await readRepos(csv, { mode: "lenient" });
  const prepared = await prepareRun(store, repos, {
    runId: "r1",
    csv: { location: csv, rowCount, sha256: await csvSha256(csv) },
    cliVersion: await cliVersion(mod.command, mod.env),
    partitionSize: 2,
    timeBudgetMs: 3_600_000,
  });
  const location = await recordRun(store, prepared);
  expect(location).toBe("s3://state/nightly/runs/r1/manifest.json");
  const [first, second] = prepared.manifest.partitions;

  mod.setConfig({ failBuild: [names[second!.rows[1]!.row - 1]!] });
  mod.reset();
  const child = await runProcessorChild([csv, "--plan", location], env(path.join(dir, "d1"), 1));
  expect(child.code, child.stderr).toBe(1);
  expect(await built()).toEqual(rowsOf(second!));
  const record = await store.readResult("r1", second!.partition);
  // Entries are in finishing order: compare by row.
  const entries = [...(record?.repos ?? [])].sort((a, b) => a.row - b.row);
  const failedRow = second!.rows[1]!.row;
  expect(entries.map((e) => [e.row, e.outcome, e.commit, e.fingerprint])).toEqual(
    [...second!.rows]
      .sort((a, b) => a.row - b.row)
      .map((r) => [r.row, r.row === failedRow ? "failed" : "ok", heads.get(names[r.row - 1]!), prepared.rows.get(r.row)!.fingerprint]),
  );
  expect(entries.find((e) => e.row === failedRow)?.error).toContain("buildOutcome Failed");
  // what the CLI's trace.csv said is kept in the result record
  expect(entries.find((e) => e.row !== failedRow)?.trace?.outcomes).toMatchObject({ build: "Succeeded" });
  // The trace says only "buildOutcome Failed": no rule matches, and the cause says so.
  expect(entries.find((e) => e.row === failedRow)?.cause).toBe("unknown");
  expect(entries.filter((e) => e.cause !== undefined)).toHaveLength(1);

  mod.setConfig({});
  mod.reset();
  const again = await runProcessorChild([csv, "--plan", location], env(path.join(dir, "d2"), 1));
  expect(again.code, again.stderr).toBe(0);
  expect(await built()).toEqual([second!.rows[1]!.row]);
  expect(again.stderr).toContain("1 already built by an earlier attempt");

  mod.reset();
  const other = await runProcessorChild([csv, "--plan", location], env(path.join(dir, "d3"), 0));
  expect(other.code, other.stderr).toBe(0);
  expect(await built()).toEqual(rowsOf(first!));
  const state = await (await import("@mass-ingest/state")).foldPendingRuns(store);
  expect(state.pendingRuns).toEqual([]);
  expect(Object.values(state.repos).map((e) => e.outcome)).toEqual(["ok", "ok", "ok", "ok"]);
  store.close();
});
