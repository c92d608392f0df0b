import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MassIngestError } from "../../src/index.js";
import { parseSecretReference, resolveSecret, resolveSecretEnv } from "../../src/aws.js";

const awsOptions = (m: Moto) => ({ endpoint: m.endpoint, region: m.region, credentials: m.credentials });

let moto: Moto;
let sm: SecretsManagerClient;
let plainArn: string;
let jsonArn: string;

beforeAll(async () => {
  moto = await startMoto();
  sm = new SecretsManagerClient(awsOptions(moto));
  plainArn = (await sm.send(new CreateSecretCommand({ Name: "prod/mod-token", SecretString: "first-token-value" }))).ARN!;
  await sm.send(new PutSecretValueCommand({ SecretId: plainArn, SecretString: "second-token-value" }));
  jsonArn = (
    await sm.send(
      new CreateSecretCommand({
        Name: "prod/publish",
        SecretString: JSON.stringify({ user: "deployer", password: "pa55-json-value", port: 8443 }),
      }),
    )
  ).ARN!;
});
afterAll(async () => {
  sm?.destroy();
  await moto?.stop();
});

describe("parseSecretReference", () => {
  it("reads the ECS valueFrom forms", () => {
    const base = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf";
    expect(parseSecretReference(base)).toEqual({
      arn: base,
      partition: "aws",
      region: "eu-west-1",
      accountId: "123456789012",
      name: "prod/db-AbCdEf",
    });
    expect(parseSecretReference(`${base}:password::`)).toMatchObject({ arn: base, jsonKey: "password" });
    expect(parseSecretReference(`${base}::AWSPREVIOUS:`)).toMatchObject({ arn: base, versionStage: "AWSPREVIOUS" });
    expect(parseSecretReference(`${base}:user::0b5c7a1e-1111-2222-3333-444455556666`)).toMatchObject({
      jsonKey: "user",
      versionId: "0b5c7a1e-1111-2222-3333-444455556666",
    });
    expect(parseSecretReference("arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x")).toMatchObject({
      partition: "aws-us-gov",
    });
  });

  it("returns undefined for anything that is not a Secrets Manager ARN", () => {
    for (const v of [
      "plain-value",
      "",
      "arn:aws:ssm:us-east-1:123456789012:parameter/x",
      "arn:aws:secretsmanager:us-east-1:123:secret:x",
      "https://example.com",
    ]) {
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
    expect(e1).toBeInstanceOf(MassIngestError);
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
