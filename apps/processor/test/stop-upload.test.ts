/**
 * A log store that never answers (issue 18): the first SIGTERM is honoured by the uploads themselves (no retry, the
 * attempt under way gets 10 s more), not by STOP_GRACE's kill. Before, the S3 upload had no timeout at all.
 */
import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { findReports, startProcessor } from "./helpers.js";

let git: GitServer;
let standIn: ModStandIn;
let dir: string;
let silent: Server;
let endpoint: string;
let requests = 0;

beforeAll(async () => {
  git = await startGitServer();
  standIn = createModStandIn();
  dir = await mkdtemp(path.join(os.tmpdir(), "processor-stop-upload-"));
  await git.createRepo("team/hang");
  silent = createServer(() => void requests++);
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(async () => {
  standIn?.cleanup();
  await git?.stop();
  silent?.closeAllConnections();
  await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  await rm(dir, { recursive: true, force: true });
});

it("on SIGTERM with an S3 log store that never answers: gives the uploads up and exits 143 well inside STOP_GRACE", async () => {
  standIn.setConfig({ buildMs: 10, hangBuild: ["team/"] });
  const csv = path.join(dir, "repos.csv");
  await writeFile(csv, `cloneUrl,branch\n${git.httpUrl("team/hang")},main\n`);
  const dataDir = path.join(dir, "data");
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...standIn.env,
    MOD_CLI: standIn.command,
    AWS_ACCESS_KEY_ID: "x",
    AWS_SECRET_ACCESS_KEY: "y",
    AWS_REGION: "us-east-1",
    DATA_DIR: dataDir,
    PUBLISH_URL: "s3://lsts/prod",
    S3_ENDPOINT: endpoint,
    S3_REGION: "us-east-1",
    STOP_GRACE: "120",
  };
  const run = startProcessor([csv], env);
  for (let i = 0; i < 600 && !(await standIn.calls()).some((c) => c.hung); i++) await new Promise((r) => setTimeout(r, 50));
  const stoppedAt = Date.now();
  run.child.kill("SIGTERM");
  const result = await run.done;
  expect(result.code).toBe(143);
  expect(result.stderr).not.toContain("still winding down");
  // the zips in parallel, then the report: each attempt ends 10 s after the stop at the latest, none is retried
  expect(Date.now() - stoppedAt).toBeLessThan(60_000);
  expect(requests).toBeGreaterThanOrEqual(1);
  expect(result.stdout + result.stderr).toMatch(/not retried: the run was stopped/);
  const [report] = await findReports(dataDir, "all");
  expect(report).toBeDefined();
}, 180_000);
