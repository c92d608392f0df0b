// moto_server with IAM auth switched on (INITIAL_NO_AUTH_ACTION_COUNT=0): unknown access keys are rejected like AWS does.
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSecretsClient, openCsv, resolveSecret } from "../../src/aws.js";

let moto: Moto;

beforeAll(async () => {
  moto = await startMoto({ iamAuth: true });
});
afterAll(async () => {
  await moto?.stop();
});

const wrong = () => moto.wrongCredentials();

it("wrong credentials: secrets and s3 say so too", async () => {
  const sm = createSecretsClient({ ...wrong(), maxAttempts: 1 });
  const e1 = await resolveSecret("arn:aws:secretsmanager:us-east-1:123456789012:secret:x", sm).catch((e: unknown) => e);
  expect(e1).toMatchObject({ code: "AWS_CREDENTIALS" });
  sm.destroy();
  const e2 = await openCsv("s3://bucket/repos.csv", { aws: { ...wrong(), maxAttempts: 1 } }).catch((e: unknown) => e);
  expect(e2).toMatchObject({ code: "AWS_CREDENTIALS" });
});
