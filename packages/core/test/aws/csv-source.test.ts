import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Client, openCsv } from "../../src/aws.js";

const awsOptions = (m: Moto) => ({ endpoint: m.endpoint, region: m.region, credentials: m.credentials });
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

describe("openCsv", () => {
  const content = "cloneUrl,branch\nhttps://github.com/openrewrite/rewrite,main\n";
  let dir: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "core-csv-"));
    server = createServer((req, res) => {
      if (req.url === "/repos.csv") res.writeHead(200, { "content-type": "text/csv" }).end(content);
      else res.writeHead(404).end("nope");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a path, an s3:// object from moto and an http:// URL", async () => {
    const path = join(dir, "repos.csv");
    await writeFile(path, content);
    expect(await text(await openCsv(path))).toBe(content);

    const s3 = createS3Client(awsOptions(moto));
    await s3.send(new CreateBucketCommand({ Bucket: "repos" }));
    await s3.send(new PutObjectCommand({ Bucket: "repos", Key: "nightly/repos.csv", Body: content }));
    expect(await text(await openCsv("s3://repos/nightly/repos.csv", { s3 }))).toBe(content);
    expect(await text(await openCsv(`${url}/repos.csv`))).toBe(content);
    s3.destroy();
  });

  it("fails with CSV_NOT_FOUND for a missing path, key or URL", async () => {
    const s3 = new S3Client({ ...awsOptions(moto), forcePathStyle: true });
    for (const location of [join(dir, "missing.csv"), "s3://repos/missing.csv", `${url}/missing.csv`]) {
      const e = await openCsv(location, { s3 }).catch((err: unknown) => err);
      expect(e, location).toMatchObject({ code: "CSV_NOT_FOUND" });
    }
    s3.destroy();
  });
});
