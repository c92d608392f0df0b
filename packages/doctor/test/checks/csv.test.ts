import { copyFile, readFile } from "node:fs/promises";
import path from "node:path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@mass-ingest/core/aws";
import { startMoto, startNginx, type Moto, type Nginx } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupDirs, runCheck, tempDir, writeCsv } from "../helpers.js";

let moto: Moto;
let nginx: Nginx;
let dir: string;
let good: string;

beforeAll(async () => {
  [moto, nginx] = await Promise.all([startMoto(), startNginx({ anonymousRead: true })]);
  dir = await tempDir();
  good = await writeCsv(dir, ["https://github.com/org/a.git,main,17", "https://github.com/org/b.git,main,"]);
  const s3 = createS3Client({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
  await s3.send(new CreateBucketCommand({ Bucket: "csvs" }));
  await s3.send(new PutObjectCommand({ Bucket: "csvs", Key: "repos.csv", Body: await readFile(good) }));
  s3.destroy();
  await copyFile(good, path.join(nginx.root, "repos.csv"));
});
afterAll(async () => {
  await Promise.all([moto?.stop(), nginx?.stop()]);
  await cleanupDirs();
});

const aws = () => ({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });

describe("repos.csv check", () => {
  it("passes with the row count for a valid file, s3:// object and https:// URL", async () => {
    expect(await runCheck("csv", { csv: good })).toMatchObject({ status: "pass", detail: `2 rows, 2 valid (${good})` });
    expect((await runCheck("csv", { csv: "s3://csvs/repos.csv" }, { aws: aws() })).detail).toMatch(/^2 rows, 2 valid/);
    expect((await runCheck("csv", { csv: `${nginx.url}/repos.csv` })).detail).toMatch(/^2 rows, 2 valid/);
  });

  it("fails when the csv cannot be read, with the reader's code and hint", async () => {
    const file = await runCheck("csv", { csv: path.join(dir, "missing.csv") });
    expect(file.status).toBe("fail");
    expect(file.detail).toMatch(/^\[CSV_NOT_FOUND\]/);
    expect((await runCheck("csv", { csv: "s3://csvs/missing.csv" }, { aws: aws() })).detail).toMatch(/^\[CSV_NOT_FOUND\]/);
    expect((await runCheck("csv", { csv: `${nginx.url}/missing.csv` })).detail).toContain("HTTP 404");
  });

  it("warns with the first invalid rows and leaves them out (lenient, like the processor)", async () => {
    const csv = await writeCsv(dir, [
      "https://github.com/org/a.git,main,",
      "ext::sh -c evil,main,",
      "https://github.com/org/a.git,main,",
      "not a url,main,",
      "also bad,main,",
      "more bad,main,",
    ]);
    const r = await runCheck("csv", { csv });
    expect(r.status).toBe("warn");
    expect(r.detail).toMatch(/^6 rows, 1 valid, 4 invalid and 1 duplicate rows left out: line 3 \(row 2\)/);
    expect(r.detail).toContain("... and 2 more");
  });

  it("fails when no row is valid, and skips without a csv", async () => {
    expect((await runCheck("csv", { csv: await writeCsv(dir, ["nope,main,"]) })).status).toBe("fail");
    expect((await runCheck("csv", {})).status).toBe("skip");
  });
});
