// Run status against a real moto_server.
import { planBySize } from "@mass-ingest/partition";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBatchApi, getRunStatus, planSubmission, submit, waitForRun, type BatchApi } from "../src/index.js";
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

describe("getRunStatus / waitForRun", () => {
  it("counts succeeded children", async () => {
    const result = await submit(plan(120, 25), { batch });
    const status = await waitForRun(batch, { jobId: result.jobs[0]!.jobId }, { intervalMs: 200, timeoutMs: 30_000 });
    expect(status.runId).toBe("run-1");
    expect(status.total).toBe(5);
    expect(status.counts.SUCCEEDED).toBe(5);
    expect(status.failed).toEqual([]);
    expect(status.ok).toBe(true);
  });

  it("says which run is missing", async () => {
    const error = await getRunStatus(batch, { runId: "never", jobQueue: env.queue }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RUN_NOT_FOUND" });
  });
});
