import { rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { startFaultProxy } from "@mass-ingest/testkit/fault-proxy";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { HttpLogStore, ingest, S3LogStore, workDirName, type IngestSettings } from "../src/index.js";
import { kind, modRunner, rowsFor, tmp } from "./helpers.js";

let git: GitServer;
let standIn: ModStandIn;
let dataRoot: string;

beforeAll(async () => {
  git = await startGitServer();
  standIn = createModStandIn();
  dataRoot = await tmp("pipeline-deadline-");
  for (const name of ["d/quick", "d/long", "d/unknown"]) await git.createRepo(name);
});
afterAll(async () => {
  standIn?.cleanup();
  await git?.stop();
  await rm(dataRoot, { recursive: true, force: true });
});

const base = (name: string): Pick<IngestSettings, "cli" | "env" | "dataDir"> => ({
  ...modRunner(standIn.command, { ...process.env, ...standIn.env }),
  dataDir: path.join(dataRoot, name),
});

describe("the run's deadline and the step timeouts", () => {
  it("starts no group that cannot finish before the deadline (its prediction, else the build timeout)", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10 });
    const repos = await rowsFor([git.httpUrl("d/quick"), git.httpUrl("d/long"), git.httpUrl("d/unknown")]);
    const result = await ingest({
      ...base("deadline"),
      repos,
      buildTimeoutMs: 60_000,
      deadline: new Date(Date.now() + 10 * 60_000),
      // row 1 fits, row 2 (predicted 1 h) cannot finish, row 3 has no prediction: the build timeout (60 s) fits
      predictedMs: new Map([
        [1, 10_000],
        [2, 3_600_000],
      ]),
    });
    const byRow = new Map(result.report.repos.map((r) => [r.row, r] as const));
    expect(byRow.get(1)?.status).toBe("ok");
    expect(byRow.get(3)?.status).toBe("ok");
    expect(byRow.get(2)?.status).toBe("not-started");
    expect(byRow.get(2)?.reason).toMatch(/not started: \d+ s are left before the run's deadline .*needs about 3600 s/);
    const synced = (await standIn.calls()).filter((c) => kind(c) === "sync").map((c) => c.argv[3] ?? "");
    expect(synced.map((dir) => path.basename(dir)).sort()).toEqual([workDirName([repos[0]!]), workDirName([repos[2]!])].sort());
  });

  it("without predictions a group needs its build timeout: a deadline closer than that starts nothing", async () => {
    standIn.reset();
    const repos = await rowsFor([git.httpUrl("d/quick")]);
    const result = await ingest({
      ...base("deadline-none"),
      repos,
      buildTimeoutMs: 3_600_000,
      deadline: new Date(Date.now() + 30 * 60_000),
    });
    expect(result.report.repos.map((r) => r.status)).toEqual(["not-started"]);
    expect((await standIn.calls()).filter((c) => kind(c) === "sync")).toEqual([]);
  });

  it("SYNC_TIMEOUT reaches the sync step: a sync longer than it is killed and reported timed-out", async () => {
    standIn.reset();
    standIn.setConfig({ syncMs: 20_000 });
    const repos = await rowsFor([git.httpUrl("d/quick")]);
    const result = await ingest({ ...base("sync-timeout"), repos, stepTimeoutsMs: { sync: 1000 } });
    expect(result.report.repos[0]).toMatchObject({ status: "timed-out", failedStep: "sync" });
    expect(result.report.repos[0]?.reason).toMatch(/sync exceeded its 1 s timeout/);
  });
});

describe("HttpLogStore retries stop at the first SIGTERM and at the run's deadline", () => {
  // the proxy answers every request 503 itself: the target behind it is never reached
  const failing = () => startFaultProxy("http://127.0.0.1:9", { failFirst: 100, status: 503 });
  const file = async () => {
    const zip = path.join(dataRoot, "upload.zip");
    await writeFile(zip, "PK fake zip");
    return zip;
  };

  it("after a stop signal: the attempt under way, then no retry", async () => {
    const proxy = await failing();
    try {
      const stop = new AbortController();
      stop.abort("SIGTERM");
      const store = new HttpLogStore(`${proxy.url}/x`, { retries: 4, minTimeoutMs: 5, stop: stop.signal });
      await expect(store.put("stop.zip", await file())).rejects.toMatchObject({
        code: "UPLOAD_FAILED",
        message: expect.stringMatching(/not retried: the run was stopped \(SIGTERM\)/),
      });
      expect(proxy.requests()).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it("past the deadline: one attempt, no retry; without either, every retry", async () => {
    const proxy = await failing();
    try {
      const late = new HttpLogStore(`${proxy.url}/x`, { retries: 4, minTimeoutMs: 5, deadline: Date.now() - 1000 });
      await expect(late.put("late.zip", await file())).rejects.toMatchObject({ message: expect.stringMatching(/deadline .* has passed/) });
      expect(proxy.requests()).toBe(1);
      const plain = new HttpLogStore(`${proxy.url}/x`, { retries: 2, minTimeoutMs: 5 });
      await expect(plain.put("plain.zip", await file())).rejects.toMatchObject({ code: "UPLOAD_FAILED" });
      expect(proxy.requests()).toBe(4);
    } finally {
      await proxy.stop();
    }
  });
});

describe("S3LogStore attempts stop at the first SIGTERM and at the run's deadline (a store that never answers)", () => {
  // an S3 endpoint that takes every request and never answers
  const silent = async () => {
    let requests = 0;
    const server = createServer(() => void requests++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const stop = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
    return { endpoint, requests: () => requests, stop };
  };
  const file = async () => {
    const zip = path.join(dataRoot, "s3-upload.zip");
    await writeFile(zip, "PK fake zip");
    return zip;
  };
  const credentials = { AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" };

  it("gives up on an attempt that gets no answer, retries, and stops retrying once stopped", async () => {
    const s3 = await silent();
    Object.assign(process.env, credentials);
    try {
      const retries: number[] = [];
      const plain = new S3LogStore("s3://b/x", {
        ...{ endpoint: s3.endpoint, region: "us-east-1", timeoutMs: 300, minTimeoutMs: 5, attempts: 3 },
        onRetry: ({ attempt }) => retries.push(attempt),
      });
      await expect(plain.put("plain.zip", await file())).rejects.toMatchObject({
        code: "UPLOAD_FAILED",
        message: /no answer within 300 ms/,
      });
      expect(retries).toEqual([1, 2]);
      // (the first attempt's 300 ms may run out before its request is even sent on a loaded machine)
      expect(s3.requests()).toBeGreaterThanOrEqual(2);
      await plain.close();
      const before = s3.requests();
      // the first SIGTERM arrives during the first attempt: it gets stopAttemptMs more, then no retry
      const stop = new AbortController();
      const store = new S3LogStore("s3://b/x", { endpoint: s3.endpoint, region: "us-east-1", stop: stop.signal, stopAttemptMs: 200 });
      const started = Date.now();
      setTimeout(() => stop.abort("SIGTERM"), 100);
      await expect(store.put("stop.zip", await file())).rejects.toMatchObject({
        code: "UPLOAD_FAILED",
        message: expect.stringMatching(/no answer 200 ms after the stop; not retried: the run was stopped \(SIGTERM\)/),
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(s3.requests()).toBe(before + 1);
      await store.close();
    } finally {
      await s3.stop();
    }
  });

  it("past the deadline: one attempt, no retry", async () => {
    const s3 = await silent();
    Object.assign(process.env, credentials);
    try {
      const late = new S3LogStore("s3://b/x", {
        endpoint: s3.endpoint,
        region: "us-east-1",
        timeoutMs: 300,
        minTimeoutMs: 5,
        deadline: Date.now() - 1,
      });
      await expect(late.put("late.zip", await file())).rejects.toMatchObject({
        message: expect.stringMatching(/not retried: the run's deadline .* has passed/),
      });
      expect(s3.requests()).toBe(1);
      await late.close();
    } finally {
      await s3.stop();
    }
  });
});
