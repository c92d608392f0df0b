import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openResultRecorder } from "../src/runs.js";
import { openStateStore, type StateStore } from "../src/store/state-store.js";
import { resultEntry } from "./helpers.js";

// An S3 endpoint that answers reads "no such key" and never answers a write.
let server: Server;
let endpoint: string;
let puts = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === "PUT") return void puts++;
    res.writeHead(404, { "content-type": "application/xml" }).end("<Error><Code>NoSuchKey</Code><Message>none</Message></Error>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

const open = (): StateStore =>
  openStateStore("s3://state-bucket/p", {
    aws: { endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } },
  });

describe("a processor's result writes to a store that never answers", () => {
  it("give up shortly after the first SIGTERM", async () => {
    const store = open();
    const stop = new AbortController();
    const recorder = await openResultRecorder(store, "r1", 1, { stop: stop.signal, stopWriteMs: 200 });
    const started = Date.now();
    const write = recorder.record(resultEntry("k1", 1));
    setTimeout(() => stop.abort("SIGTERM"), 100);
    await expect(write).rejects.toThrow(/the run was stopped 200 ms ago/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(puts).toBeGreaterThanOrEqual(1);
    store.close();
  });

  it("give up at the run's deadline", async () => {
    const store = open();
    const recorder = await openResultRecorder(store, "r2", 1, { deadline: new Date(Date.now() + 300) });
    const started = Date.now();
    await expect(recorder.record(resultEntry("k1", 1))).rejects.toThrow(/the run's deadline .* has passed/);
    expect(Date.now() - started).toBeLessThan(5_000);
    store.close();
  });
});
