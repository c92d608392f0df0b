// The Batch look-ups submit makes, against a real moto_server.
import { RegisterJobDefinitionCommand } from "@aws-sdk/client-batch";
import { planBySize } from "@mass-ingest/partition";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBatchApi, plannedCalls, planSubmission, type BatchApi } from "../src/index.js";
import { findJobDefinition } from "../src/aws-calls.js";
import { awsOptions, createBatchEnv, type BatchEnv } from "./fixtures/batch-env.js";

let moto: Moto;
let env: BatchEnv;
let batch: BatchApi;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  env?.client.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  env = await createBatchEnv(moto);
  batch = createBatchApi(awsOptions(moto));
});

const csv = "s3://repos/repos.csv";

function plan(rowCount: number, size: number, options: Partial<Parameters<typeof planSubmission>[0]> = {}) {
  return planSubmission({ plan: planBySize(rowCount, size), csv, runId: "run-1", jobQueue: env.queue, jobDefinition: env.jobDefinition, ...options });
}

describe("job definition lookup", () => {
  // AWS also takes "name:revision" in jobDefinitions; moto only takes ARNs there, so the exact lookup uses the ARN.
  it("finds the latest ACTIVE revision by name and an exact revision by ARN, as plannedCalls says", async () => {
    const first = await findJobDefinition(batch, env.jobDefinition);
    const { revision, jobDefinitionArn } = first;
    await env.client.send(
      new RegisterJobDefinitionCommand({ jobDefinitionName: env.jobDefinition, type: "container", containerProperties: { image: "x", command: ["true"], resourceRequirements: [{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "512" }] } }),
    );
    expect((await findJobDefinition(batch, env.jobDefinition)).revision).toBe(revision! + 1);
    expect((await findJobDefinition(batch, jobDefinitionArn!)).revision).toBe(revision);
    const calls = plannedCalls(plan(10, 5, { jobDefinition: `${env.jobDefinition}:${revision}` }));
    expect(calls.find((c) => c.operation === "batch:DescribeJobDefinitions")?.input).toEqual({ jobDefinitions: [`${env.jobDefinition}:${revision}`] });
    expect(plannedCalls(plan(10, 5)).find((c) => c.operation === "batch:DescribeJobDefinitions")?.input).toEqual({ jobDefinitionName: env.jobDefinition, status: "ACTIVE" });
  });
});
