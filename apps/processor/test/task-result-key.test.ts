// The processor as an AWS Batch array child whose credentials are its task role's session (moto's STS AssumeRole
// with the task id as session name, as ECS names a task role's session): it writes its result record under its
// own per-task key, not the plain one (docs/security.md, "Scoping each array child's result writes").
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@mass-ingest/core/aws";
import { readRepos } from "@mass-ingest/partition";
import { cliVersion, csvSha256, foldPendingRuns, openStateStore, prepareRun, recordRun } from "@mass-ingest/state";
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
const TASK = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

beforeAll(async () => {
  [git, moto] = await Promise.all([startGitServer({ daemon: false }), startMoto()]);
  mod = createModStandIn();
  for (const n of ["scope/a", "scope/b"]) await git.createRepo(n);
  dir = await mkdtemp(path.join(os.tmpdir(), "processor-task-key-"));
  csv = path.join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", `${git.httpUrl("scope/a")},main`, `${git.httpUrl("scope/b")},main`].join("\n") + "\n");
  const s3 = createS3Client({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
  await s3.send(new CreateBucketCommand({ Bucket: "state" }));
  s3.destroy();
});
afterAll(async () => {
  mod?.cleanup();
  await Promise.all([git?.stop(), moto?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** STS AssumeRole on moto (the Query API; moto checks no signature by default): the session's credentials. */
async function assumeRole(session: string): Promise<Record<string, string>> {
  const body = new URLSearchParams({
    Action: "AssumeRole",
    Version: "2011-06-15",
    RoleArn: "arn:aws:iam::123456789012:role/mi-processor-job",
    RoleSessionName: session,
  });
  const res = await fetch(`${moto.endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: "AWS4-HMAC-SHA256 Credential=testing/20261203/us-east-1/sts/aws4_request",
    },
    body,
  });
  const xml = await res.text();
  const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1] ?? "";
  expect(res.status, xml).toBe(200);
  return {
    AWS_ACCESS_KEY_ID: field("AccessKeyId"),
    AWS_SECRET_ACCESS_KEY: field("SecretAccessKey"),
    AWS_SESSION_TOKEN: field("SessionToken"),
  };
}

async function planned(runId: string) {
  const store = openStateStore(`s3://state/${runId}`, {
    aws: { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials },
  });
  const { repos, rowCount } = await readRepos(csv, { mode: "lenient" });
  const prepared = await prepareRun(store, repos, {
    runId,
    csv: { location: csv, rowCount, sha256: await csvSha256(csv) },
    cliVersion: await cliVersion(mod.command, mod.env),
    partitionSize: 2,
    timeBudgetMs: 3_600_000,
  });
  return { store, location: await recordRun(store, prepared) };
}

const env = (dataDir: string, credentials: Record<string, string>) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...mod.env,
  ...moto.env,
  ...credentials,
  MOD_CLI: mod.command,
  DATA_DIR: dataDir,
  AWS_BATCH_JOB_ID: "8a1c2b3d-0000-4000-8000-000000000001:0",
  AWS_BATCH_JOB_ARRAY_INDEX: "0",
});

it("an array child on its task role's session writes results/by-task/<aws:userid>/p<N>.json, folded only with the lookup", async () => {
  const { store, location } = await planned("t1");
  const child = await runProcessorChild([csv, "--plan", location], env(path.join(dir, "d1"), await assumeRole(TASK)));
  expect(child.code, child.stderr).toBe(0);
  expect(child.stderr + child.stdout).toContain("result record: this task's own key");
  const keys = await store.backend.list("runs/t1/results/");
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatch(new RegExp(`^runs/t1/results/by-task/AROA[A-Z0-9]{12,}:${TASK}/p1\\.json$`));
  expect(await store.readResult("t1", 1)).toBeUndefined(); // no plain key

  const ran = openStateStore("s3://state/t1", {
    aws: { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials },
    ranTasks: async () => new Map([[1, [TASK]]]),
  });
  expect((await ran.readResults("t1")).flatMap((r) => r.repos.map((e) => e.outcome))).toEqual(["ok", "ok"]);
  const state = await foldPendingRuns(ran);
  expect(Object.values(state.repos).map((e) => e.outcome)).toEqual(["ok", "ok"]);
  ran.close();
  store.close();
});

it("an array child on a user's credentials (not a role session) writes the plain key, and says so", async () => {
  const { store, location } = await planned("t2");
  const child = await runProcessorChild([csv, "--plan", location], env(path.join(dir, "d2"), {}));
  expect(child.code, child.stderr).toBe(0);
  expect(child.stderr + child.stdout).toContain("result record: the plain key results/p<N>.json (the caller is not a role session)");
  expect(await store.backend.list("runs/t2/results/")).toEqual(["runs/t2/results/p1.json"]);
  store.close();
});
