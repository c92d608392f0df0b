import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { callerUserId } from "../../src/aws.js";

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

it("gives an assumed role session's aws:userid: <role-unique-id>:<session name>", async () => {
  const sts = new STSClient({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: "arn:aws:iam::123456789012:role/mi-processor-job",
      RoleSessionName: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    }),
  );
  sts.destroy();
  const c = out.Credentials!;
  const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  const userId = await callerUserId({ endpoint: moto.endpoint, region: moto.region, credentials });
  expect(userId).toMatch(/^AROA[A-Z0-9]{12,}:0f1e2d3c4b5a69788796a5b4c3d2e1f0$/);
});

it("gives a user's plain id for long-term credentials", async () => {
  const userId = await callerUserId({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
  expect(userId).not.toContain(":");
});
