import { readdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@mass-ingest/core/aws";
import { startMoto, startNginx, type Moto, type Nginx } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupDirs, runCheck, tempDir } from "../helpers.js";

let nginx: Nginx;
let moto: Moto;
const token = "artifactory-token-abcdef123";

beforeAll(async () => {
  [nginx, moto] = await Promise.all([startNginx({ bearerToken: token }), startMoto()]);
  const s3 = createS3Client({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
  await s3.send(new CreateBucketCommand({ Bucket: "lsts" }));
  s3.destroy();
});
afterAll(async () => {
  await Promise.all([nginx?.stop(), moto?.stop()]);
  await cleanupDirs();
});

const aws = () => ({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });

describe("artifact store check", () => {
  it("skips without PUBLISH_URL", async () => {
    expect((await runCheck("artifact-store", {})).status).toBe("skip");
  });

  it("passes against nginx WebDAV with good basic credentials, and removes the probe", async () => {
    const r = await runCheck("artifact-store", {
      env: { PUBLISH_URL: `${nginx.url}/maven`, PUBLISH_USER: nginx.user, PUBLISH_PASSWORD: nginx.password },
    });
    expect(r).toMatchObject({ status: "pass" });
    expect(await readdir(path.join(nginx.root, "maven", "mass-ingest-doctor"))).toEqual([]);
  });

  it("fails with the HTTP status and the body, password redacted, on bad credentials", async () => {
    const r = await runCheck("artifact-store", {
      env: { PUBLISH_URL: `${nginx.url}/maven`, PUBLISH_USER: nginx.user, PUBLISH_PASSWORD: "not-the-password-987" },
    });
    expect(r.status).toBe("fail");
    expect(r.detail).toMatch(
      /PUT http:\/\/127\.0\.0\.1:\d+\/maven\/mass-ingest-doctor\/\S+ answered HTTP 401: .*401 Authorization Required/,
    );
    expect(r.fix).toContain("PUBLISH_USER");
    expect(JSON.stringify(r)).not.toContain("not-the-password-987");
  });

  it("passes with a bearer token (Artifactory style) and fails with a wrong one", async () => {
    expect((await runCheck("artifact-store", { env: { PUBLISH_URL: nginx.bearerUrl, PUBLISH_TOKEN: token } })).status).toBe("pass");
    const wrong = await runCheck("artifact-store", { env: { PUBLISH_URL: nginx.bearerUrl, PUBLISH_TOKEN: "wrong-token-xyz" } });
    expect(wrong.status).toBe("fail");
    expect(wrong.detail).toContain("HTTP 401");
  });

  it("fails when an https URL has no credentials", async () => {
    const r = await runCheck("artifact-store", { env: { PUBLISH_URL: nginx.url } });
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("neither PUBLISH_USER + PUBLISH_PASSWORD nor PUBLISH_TOKEN");
  });

  it("fails naming the connection error when nobody listens", async () => {
    const r = await runCheck("artifact-store", { env: { PUBLISH_URL: "http://127.0.0.1:1/maven", PUBLISH_TOKEN: token } });
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("ECONNREFUSED");
  });

  it("passes against an S3 bucket (moto) and fails for a missing bucket", async () => {
    expect((await runCheck("artifact-store", { env: { PUBLISH_URL: "s3://lsts/nightly" } }, { aws: aws() })).status).toBe("pass");
    const missing = await runCheck("artifact-store", { env: { PUBLISH_URL: "s3://no-such-bucket/x" } }, { aws: aws() });
    expect(missing.status).toBe("fail");
    expect(missing.detail).toContain("s3:PutObject on s3://no-such-bucket/x/");
    expect(missing.detail).toContain("NoSuchBucket");
  });

  it("uses S3_ENDPOINT / S3_REGION from the environment", async () => {
    const r = await runCheck(
      "artifact-store",
      { env: { PUBLISH_URL: "s3://lsts", S3_ENDPOINT: moto.endpoint, S3_REGION: moto.region } },
      { aws: { credentials: moto.credentials } },
    );
    expect(r.status).toBe("pass");
  });

  it("probes a file:// store as a folder", async () => {
    const dir = await tempDir();
    expect((await runCheck("artifact-store", { env: { PUBLISH_URL: pathToFileURL(dir).href } })).status).toBe("pass");
  });
});
