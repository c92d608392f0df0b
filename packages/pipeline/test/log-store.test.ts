import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy } from "@mass-ingest/testkit/fault-proxy";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { freePort } from "@mass-ingest/testkit/ports";
import { createLogStore, FileLogStore, HttpLogStore, logIndex, logKeys, logTimestamp, PipelineError, S3LogStore } from "../src/index.js";

let nginx: Nginx;
let moto: Moto;
let dir: string;
let zip: string;
const content = Buffer.from("PK\u0003\u0004 fake zip content " + "x".repeat(5000));

beforeAll(async () => {
  [nginx, moto] = await Promise.all([startNginx({ bearerToken: "bearer-token-1234" }), startMoto()]);
  dir = await mkdtemp(path.join(os.tmpdir(), "pipeline-logstore-"));
  zip = path.join(dir, "log.zip");
  await writeFile(zip, content);
});
afterAll(async () => {
  await Promise.all([nginx?.stop(), moto?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe("log layout (docs/moderne-cli.md)", () => {
  it("uses START-END or all, UTC YYYYMMDDHHmm, and the exact keys", () => {
    expect(logIndex({ start: 51, end: 100 })).toBe("51-100");
    expect(logIndex()).toBe("all");
    expect(logTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 59)))).toBe("202601020304");
    expect(logKeys("maven", "1-50", "202601020304")).toEqual({
      buildLog: "io/moderne/ingest-log/1-50/202601020304/ingest-log-cli-202601020304-1-50.zip",
      syncLog: "io/moderne/ingest-sync-log/1-50/202601020304/ingest-sync-log-cli-202601020304-1-50.zip",
      report: "io/moderne/ingest-log/1-50/202601020304/ingest-report-202601020304-1-50.json",
    });
    expect(logKeys("s3", "all", "202601020304")).toEqual({
      buildLog: ".logs/all/202601020304/ingest-log-cli-202601020304-all.zip",
      syncLog: ".logs/all/202601020304/ingest-sync-log-cli-202601020304-all.zip",
      report: ".logs/all/202601020304/ingest-report-202601020304-all.json",
    });
  });

  it("picks the store from the URL", () => {
    expect(createLogStore("s3://bucket/prefix", { s3: { endpoint: moto.endpoint } })).toBeInstanceOf(S3LogStore);
    expect(createLogStore("https://repo.example.invalid/maven")).toBeInstanceOf(HttpLogStore);
    expect(createLogStore(`file://${dir}/store`)).toBeInstanceOf(FileLogStore);
    expect(() => createLogStore("ftp://x")).toThrow(PipelineError);
  });
});

describe("HttpLogStore against nginx WebDAV", () => {
  const key = "io/moderne/ingest-log/1-2/202601020304/ingest-log-cli-202601020304-1-2.zip";

  it("PUTs with basic auth to the exact key", async () => {
    const store = new HttpLogStore(`${nginx.url}/maven`, { user: nginx.user, password: nginx.password });
    const location = await store.put(key, zip);
    expect(location).toBe(`${nginx.url}/maven/${key}`);
    expect(await readFile(path.join(nginx.root, "maven", key))).toEqual(content);
    await store.close();
  });

  it("PUTs with a bearer token", async () => {
    const store = new HttpLogStore(`${nginx.bearerUrl}/bearer`, { token: nginx.bearerToken! });
    await store.put(key, zip);
    expect(await readFile(path.join(nginx.root, "bearer", key))).toEqual(content);
    await store.close();
  });

  it("does not retry a 401 and says so without the password", async () => {
    const proxy = await startFaultProxy(nginx.url, { failFirst: 0 });
    try {
      const store = new HttpLogStore(`${proxy.url}/maven`, { user: nginx.user, password: "wrong-password-42", minTimeoutMs: 10 });
      const error = await store.put(key, zip).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PipelineError);
      expect((error as PipelineError).code).toBe("UPLOAD_REJECTED");
      expect((error as Error).message).toContain("401");
      expect((error as Error).message).not.toContain("wrong-password-42");
      expect(proxy.requests()).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it("retries 503 answers with backoff and then succeeds", async () => {
    const proxy = await startFaultProxy(nginx.url, { failFirst: 2, status: 503 });
    try {
      const retries: number[] = [];
      const store = new HttpLogStore(`${proxy.url}/retry`, {
        user: nginx.user,
        password: nginx.password,
        minTimeoutMs: 10,
        onRetry: (r) => retries.push(r.attempt),
      });
      await store.put(key, zip);
      expect(proxy.failed()).toBe(2);
      expect(proxy.requests()).toBe(3);
      expect(retries).toEqual([1, 2]);
      expect(await readFile(path.join(nginx.root, "retry", key))).toEqual(content);
    } finally {
      await proxy.stop();
    }
  });

  it("gives up after the retries on 5xx and on connection errors with UPLOAD_FAILED", async () => {
    const proxy = await startFaultProxy(nginx.url, { failFirst: 100, status: 502 });
    try {
      const store = new HttpLogStore(`${proxy.url}/x`, { retries: 2, minTimeoutMs: 5 });
      await expect(store.put(key, zip)).rejects.toMatchObject({ code: "UPLOAD_FAILED" });
      expect(proxy.requests()).toBe(3);
    } finally {
      await proxy.stop();
    }
    const closed = new HttpLogStore(`http://127.0.0.1:${await freePort()}/x`, { retries: 1, minTimeoutMs: 5 });
    await expect(closed.put(key, zip)).rejects.toMatchObject({ code: "UPLOAD_FAILED" });
  });
});

describe("HttpLogStore TLS", () => {
  let server: https.Server;
  let url: string;
  let caFile: string;
  const received: Buffer[] = [];

  beforeAll(async () => {
    const key = path.join(dir, "key.pem");
    caFile = path.join(dir, "cert.pem");
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      caFile,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ]);
    server = https.createServer({ key: await readFile(key), cert: await readFile(caFile) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push(Buffer.concat(chunks));
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/repo`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("verifies certificates by default, trusts a CA bundle, skips verification only when asked", async () => {
    await expect(new HttpLogStore(url, { retries: 0 }).put("a.zip", zip)).rejects.toMatchObject({ code: "UPLOAD_FAILED" });
    expect(received).toHaveLength(0);
    await new HttpLogStore(url, { caFile, retries: 0 }).put("b.zip", zip);
    await new HttpLogStore(url, { insecure: true, retries: 0 }).put("c.zip", zip);
    expect(received).toHaveLength(2);
    expect(received[0]).toEqual(content);
  });
});

describe("S3LogStore against moto", () => {
  it("uploads to s3://bucket/prefix/<key> through the endpoint", async () => {
    const client = new S3Client({ region: moto.region, endpoint: moto.endpoint, forcePathStyle: true, credentials: moto.credentials });
    await client.send(new CreateBucketCommand({ Bucket: "lst-bucket" }));
    const old = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: moto.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: moto.credentials.secretAccessKey,
    });
    try {
      const store = new S3LogStore("s3://lst-bucket/lsts", { endpoint: moto.endpoint, region: moto.region });
      const key = logKeys("s3", "1-2", "202601020304").buildLog;
      expect(await store.put(key, zip)).toBe(`s3://lst-bucket/lsts/${key}`);
      const got = await client.send(new GetObjectCommand({ Bucket: "lst-bucket", Key: `lsts/${key}` }));
      expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(content);
      const missing = new S3LogStore("s3://no-such-bucket/x", { endpoint: moto.endpoint, region: moto.region }).put("k.zip", zip);
      await expect(missing).rejects.toBeInstanceOf(PipelineError);
      // the S3 error code and message, for the summary and the report
      await expect(missing).rejects.toThrow(/NoSuchBucket: .*\(HTTP 404\)/);
    } finally {
      process.env = old;
    }
  });
});

describe("S3LogStore retries", () => {
  it("sends small files from memory, so a failed upload is retried by the SDK and never reported as a non-retryable stream", async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: unknown) => warnings.push(String(m)), error() {} };
    const client = new S3Client({
      region: moto.region,
      endpoint: moto.endpoint,
      forcePathStyle: true,
      credentials: moto.credentials,
      logger,
    });
    try {
      await expect(new S3LogStore("s3://no-such-bucket-either/x", { client }).put("k.zip", zip)).rejects.toThrow(/NoSuchBucket/);
      expect(warnings.filter((w) => w.includes("non-retryable streaming request"))).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});

describe("FileLogStore", () => {
  it("copies into the Maven layout under the directory", async () => {
    const store = new FileLogStore(`file://${dir}/store`);
    const key = logKeys("maven", "all", "202601020304").syncLog;
    expect(await store.put(key, zip)).toBe(path.join(dir, "store", key));
    expect(await readFile(path.join(dir, "store", key))).toEqual(content);
  });
});
