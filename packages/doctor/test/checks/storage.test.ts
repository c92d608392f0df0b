import { writeFile } from "node:fs/promises";
import path from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@mass-ingest/core/aws";
import { startMoto, type Moto } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupDirs, runCheck, tempDir } from "../helpers.js";

let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  const s3 = createS3Client({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
  await s3.send(new CreateBucketCommand({ Bucket: "state" }));
  s3.destroy();
});
afterAll(async () => {
  await moto?.stop();
  await cleanupDirs();
});

const aws = () => ({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });

/** A path that cannot be a folder: below a regular file. */
async function blocked(): Promise<string> {
  const file = path.join(await tempDir(), "a-file");
  await writeFile(file, "x");
  return path.join(file, "below");
}

describe("DATA_DIR check", () => {
  it("passes for a writable folder (made when missing) from the setting or DATA_DIR", async () => {
    const dir = path.join(await tempDir(), "new", "data");
    expect((await runCheck("data-dir", { dataDir: dir })).status).toBe("pass");
    expect((await runCheck("data-dir", { env: { DATA_DIR: dir } })).detail).toContain(dir);
  });

  it("fails when DATA_DIR cannot be a folder", async () => {
    const r = await runCheck("data-dir", { dataDir: await blocked() });
    expect(r.status).toBe("fail");
    expect(r.detail).toMatch(/cannot create .* \(ENOTDIR\)/);
    expect(r.fix).toContain("DATA_DIR");
  });
});

describe("state store check", () => {
  it("skips without a state store", async () => {
    expect(await runCheck("state-store", {})).toMatchObject({ status: "skip", detail: "no state store configured" });
  });

  it("passes for a local folder and fails where no folder can be", async () => {
    expect((await runCheck("state-store", { stateUrl: await tempDir() })).status).toBe("pass");
    const r = await runCheck("state-store", { stateUrl: await blocked() });
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("cannot read the state of the state store");
    expect(r.detail).toContain("ENOTDIR");
  });

  it("passes under an S3 prefix (moto) and fails for a missing bucket", async () => {
    expect((await runCheck("state-store", { stateUrl: "s3://state/nightly" }, { aws: aws() })).status).toBe("pass");
    const r = await runCheck("state-store", { stateUrl: "s3://no-such-state-bucket/x" }, { aws: aws() });
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("no-such-state-bucket");
  });
});
