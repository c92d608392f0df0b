// moto_server with IAM auth switched on (INITIAL_NO_AUTH_ACTION_COUNT=0): unknown access keys are rejected like AWS does.
import { planBySize } from "@mass-ingest/partition";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBatchApi, planSubmission, submit } from "../src/index.js";

let moto: Moto;

beforeAll(async () => {
  moto = await startMoto({ iamAuth: true });
});
afterAll(async () => {
  await moto?.stop();
});

const wrong = () => moto.wrongCredentials();

it("wrong credentials: submit stops with AWS_CREDENTIALS (exit 2) before submitting", async () => {
  const batch = createBatchApi({ ...wrong(), maxAttempts: 1 });
  const plan = planSubmission({ plan: planBySize(10, 5), csv: "/app/repos.csv", runId: "r1", jobQueue: "q", jobDefinition: "d" });
  const error = await submit(plan, { batch }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: "AWS_CREDENTIALS", exitCode: 2 });
  expect((error as Error & { hint: string }).hint).toContain("AWS_ACCESS_KEY_ID");
  expect((error as Error).message).not.toContain("wrong-secret-key-value");
  expect(batch.calls.SubmitJob ?? 0).toBe(0);
});
