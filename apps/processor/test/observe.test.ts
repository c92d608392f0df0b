import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { freePort } from "@mass-ingest/testkit/ports";
import { runProcessorChild, startProcessor } from "./helpers.js";

let git: GitServer;
let standIn: ModStandIn;
let dir: string;
let csv: string;

const env = (extra: Record<string, string | undefined>) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...standIn.env,
  MOD_CLI: standIn.command,
  ...extra,
});

beforeAll(async () => {
  git = await startGitServer();
  standIn = createModStandIn();
  dir = await mkdtemp(path.join(os.tmpdir(), "processor-observe-"));
  await git.createRepo("obs/one");
  await git.createRepo("obs/two");
  csv = path.join(dir, "repos.csv");
  await writeFile(csv, `cloneUrl,branch\n${git.httpUrl("obs/one")},main\n${git.httpUrl("obs/two")},main\n`);
});
afterAll(async () => {
  standIn?.cleanup();
  await git?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("DIAGNOSE_ON_START", () => {
  it("a failing check stops the container with exit 2 before any repository is touched", async () => {
    standIn.reset();
    const missing = path.join(dir, "missing.csv");
    await writeFile(missing, `cloneUrl,branch\n${git.httpUrl("obs/not-there")},main\n`);
    const result = await runProcessorChild(
      [missing, "--no-state", "--json"],
      env({ DATA_DIR: path.join(dir, "d1"), DIAGNOSE_ON_START: "true" }),
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/"check":"git-hosts".*"status":"fail"/);
    expect(result.stderr).toContain("DIAGNOSE_ON_START: a check failed");
    expect((await standIn.calls()).filter((c) => c.argv[0] === "git" && !c.argv.includes("--help"))).toEqual([]);
  });

  it("passing checks let the run go on", async () => {
    standIn.reset();
    const result = await runProcessorChild(
      [csv, "--no-state", "--json"],
      env({ DATA_DIR: path.join(dir, "d2"), DIAGNOSE_ON_START: "true" }),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/"check":"git-hosts".*"status":"pass"/);
    expect(result.stdout).toMatch(/2 ok/);
  });
});

describe("run metrics", () => {
  it("inside AWS Batch, CloudWatch embedded-metric lines go to stdout with the run and partition", async () => {
    standIn.reset();
    const result = await runProcessorChild(
      [csv, "--no-state", "--json", "--run-id", "night-7"],
      env({ DATA_DIR: path.join(dir, "d3"), AWS_BATCH_JOB_ID: "job-123" }),
    );
    expect(result.code, result.stderr).toBe(0);
    const emf = result.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map(
        (l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } },
      );
    expect(emf.length).toBeGreaterThan(0);
    expect(emf[0]!._aws.CloudWatchMetrics[0]!.Namespace).toBe("MassIngest");
    expect(emf[0]!.RunId).toBe("night-7");
    expect(emf[0]!.Partition).toBe("all");
    expect(emf.find((e) => e.ReposOk !== undefined)!.ReposOk).toBe(2);
  });

  it("--metrics-port serves Prometheus metrics while the run lasts", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 1500 });
    const port = await freePort();
    const child = startProcessor(
      [csv, "--no-state", "--json", "--metrics-port", String(port), "--build-concurrency", "1"],
      env({ DATA_DIR: path.join(dir, "d4") }),
    );
    let body = "";
    await expect
      .poll(
        async () => {
          body = await fetch(`http://127.0.0.1:${port}/metrics`).then(
            (r) => r.text(),
            () => "",
          );
          return body;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toMatch(/mass_ingest_/);
    const done = await child.done;
    expect(done.code, done.stderr).toBe(0);
    expect(body).toContain("mass_ingest_");
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    standIn.setConfig({});
  });
});
