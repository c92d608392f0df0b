import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchError, createS3Client, openCsv, parseSecretReference, resolveSecret, resolveSecretEnv } from "../src/index.js";
import { awsOptions } from "./fixtures/batch-env.js";

let moto: Moto;
let sm: SecretsManagerClient;
let plainArn: string;
let jsonArn: string;

beforeAll(async () => {
  moto = await startMoto();
  sm = new SecretsManagerClient(awsOptions(moto));
  plainArn = (await sm.send(new CreateSecretCommand({ Name: "prod/mod-token", SecretString: "first-token-value" }))).ARN!;
  await sm.send(new PutSecretValueCommand({ SecretId: plainArn, SecretString: "second-token-value" }));
  jsonArn = (await sm.send(new CreateSecretCommand({ Name: "prod/publish", SecretString: JSON.stringify({ user: "deployer", password: "pa55-json-value", port: 8443 }) }))).ARN!;
});
afterAll(async () => {
  sm?.destroy();
  await moto?.stop();
});

describe("parseSecretReference", () => {
  it("reads the ECS valueFrom forms", () => {
    const base = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf";
    expect(parseSecretReference(base)).toEqual({ arn: base, partition: "aws", region: "eu-west-1", accountId: "123456789012", name: "prod/db-AbCdEf" });
    expect(parseSecretReference(`${base}:password::`)).toMatchObject({ arn: base, jsonKey: "password" });
    expect(parseSecretReference(`${base}::AWSPREVIOUS:`)).toMatchObject({ arn: base, versionStage: "AWSPREVIOUS" });
    expect(parseSecretReference(`${base}:user::0b5c7a1e-1111-2222-3333-444455556666`)).toMatchObject({ jsonKey: "user", versionId: "0b5c7a1e-1111-2222-3333-444455556666" });
    expect(parseSecretReference("arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x")).toMatchObject({ partition: "aws-us-gov" });
  });

  it("returns undefined for anything that is not a Secrets Manager ARN", () => {
    for (const v of ["plain-value", "", "arn:aws:ssm:us-east-1:123456789012:parameter/x", "arn:aws:secretsmanager:us-east-1:123:secret:x", "https://example.com"]) {
      expect(parseSecretReference(v)).toBeUndefined();
    }
  });
});

describe("resolveSecret against moto Secrets Manager", () => {
  it("resolves a plain secret (current and previous stage) and a JSON key", async () => {
    expect(await resolveSecret(plainArn, sm)).toBe("second-token-value");
    expect(await resolveSecret(`${plainArn}::AWSPREVIOUS:`, sm)).toBe("first-token-value");
    expect(await resolveSecret(`${jsonArn}:password::`, sm)).toBe("pa55-json-value");
    expect(await resolveSecret(`${jsonArn}:port::`, sm)).toBe("8443");
  });

  it("resolveSecretEnv resolves only the named ARN values and passes plain values through", async () => {
    const env = { TOKEN: plainArn, PASSWORD: `${jsonArn}:password::`, PLAIN: "as-is", OTHER: plainArn };
    const out = await resolveSecretEnv(env, ["TOKEN", "PASSWORD", "PLAIN", "UNSET"], undefined, awsOptions(moto));
    expect(out).toEqual({ TOKEN: "second-token-value", PASSWORD: "pa55-json-value", PLAIN: "as-is", OTHER: plainArn });
    expect(env.TOKEN).toBe(plainArn);
  });

  it("names a missing secret or JSON key without leaking any value", async () => {
    const missing = plainArn.replace("mod-token", "no-such");
    const e1 = await resolveSecretEnv({ GIT_TOKEN: missing }, ["GIT_TOKEN"], sm).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(BatchError);
    expect(e1).toMatchObject({ code: "SECRET_NOT_FOUND", exitCode: 2 });
    expect((e1 as Error).message).toContain("GIT_TOKEN");
    expect((e1 as Error).message).toContain("no-such");
    const e2 = await resolveSecret(`${jsonArn}:nokey::`, sm).catch((e: unknown) => e);
    expect(e2).toMatchObject({ code: "SECRET_JSON_KEY_MISSING" });
    expect((e2 as Error).message).toContain("nokey");
    expect((e2 as Error).message).not.toContain("pa55-json-value");
    const e3 = await resolveSecret(`${plainArn}:key::`, sm).catch((e: unknown) => e);
    expect(e3).toMatchObject({ code: "SECRET_NOT_JSON" });
    expect((e3 as Error).message).not.toContain("second-token-value");
  });
});

describe("openCsv", () => {
  const content = "cloneUrl,branch\nhttps://github.com/openrewrite/rewrite,main\n";
  let dir: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "batch-csv-"));
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
