// moto_server with IAM auth switched on (INITIAL_NO_AUTH_ACTION_COUNT=0): unknown access keys are rejected like AWS does.
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
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

it("no credentials anywhere: says none were found and how to provide them, not that AWS rejected them", async () => {
  for (const name of Object.keys(process.env).filter((n) => n.startsWith("AWS_"))) vi.stubEnv(name, undefined);
  vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/aws-config");
  vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
  vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
  try {
    const { endpoint, region } = wrong();
    const e = await openCsv("s3://bucket/repos.csv", { aws: { endpoint, region, maxAttempts: 1 } }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: "AWS_CREDENTIALS" });
    const { message, hint } = e as { message: string; hint: string };
    expect(message).toMatch(/^No AWS credentials found for s3:GetObject on s3:\/\/bucket\/repos.csv/);
    expect(message).not.toMatch(/rejected/);
    expect(hint).toContain("AWS_ACCESS_KEY_ID");
    expect(hint).toContain("AWS_PROFILE");
  } finally {
    vi.unstubAllEnvs();
  }
});
