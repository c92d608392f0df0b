import { CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { createSecretsClient } from "@mass-ingest/core/aws";
import { startMoto, startNginx, type Moto, type Nginx } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/index.js";
import { runCheck } from "../helpers.js";

let moto: Moto;
let nginx: Nginx;
let passwordArn: string;
const missingArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:nothing-here-AbCdEf";

beforeAll(async () => {
  [moto, nginx] = await Promise.all([startMoto(), startNginx()]);
  const client = createSecretsClient({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
  const out = await client.send(new CreateSecretCommand({ Name: "publish-password", SecretString: nginx.password }));
  passwordArn = out.ARN as string;
  client.destroy();
});
afterAll(async () => {
  await Promise.all([moto?.stop(), nginx?.stop()]);
});

const aws = () => ({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });

describe("secrets check", () => {
  it("passes when nothing refers to Secrets Manager", async () => {
    expect((await runCheck("secrets", { env: { PUBLISH_PASSWORD: "plain-value-123" } })).status).toBe("pass");
  });

  it("resolves every ARN, names the settings only, and the other checks use the resolved value", async () => {
    const env = { PUBLISH_URL: `${nginx.url}/maven`, PUBLISH_USER: nginx.user, PUBLISH_PASSWORD: passwordArn };
    const report = await runDoctor({ env }, { aws: aws(), only: ["secrets", "artifact-store"] });
    const [secrets, store] = report.checks;
    expect(secrets).toMatchObject({ id: "secrets", status: "pass", detail: "1 resolved: PUBLISH_PASSWORD" });
    expect(store).toMatchObject({ id: "artifact-store", status: "pass" });
    expect(JSON.stringify(report)).not.toContain(nginx.password);
  });

  it("fails naming the setting whose secret does not resolve", async () => {
    const r = await runCheck("secrets", { env: { PUBLISH_PASSWORD: passwordArn, GIT_CREDENTIALS: missingArn } }, { aws: aws() });
    expect(r.status).toBe("fail");
    expect(r.detail).toBe("1 of 2 did not resolve: GIT_CREDENTIALS: SECRET_NOT_FOUND; resolved: PUBLISH_PASSWORD");
    expect(r.fix).toContain("Create the secret or fix the reference");
  });
});
