// moto_server started with MOTO_SIMPLE_BATCH_FAIL_AFTER=0: every Batch job (and array child) fails as it is
// submitted, with a CloudWatch log stream name, like a processor container exiting non-zero.
import { planBySize } from "@mass-ingest/partition";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBatchApi, getRunStatus, planSubmission, retryFailed, submit } from "../src/index.js";
import { awsOptions, createBatchEnv, describeJob, terminate, type BatchEnv } from "./fixtures/batch-env.js";

let moto: Moto;
let env: BatchEnv;

beforeAll(async () => {
  process.env.MOTO_SIMPLE_BATCH_FAIL_AFTER = "0";
  try {
    moto = await startMoto();
  } finally {
    delete process.env.MOTO_SIMPLE_BATCH_FAIL_AFTER;
  }
  env = await createBatchEnv(moto);
});
afterAll(async () => {
  env?.client.destroy();
  env?.secrets.destroy();
  await moto?.stop();
});

it("reports every failed child with its log stream and reason, and a run-wide retry of all of them", async () => {
  const batch = createBatchApi(awsOptions(moto));
  const plan = planSubmission({
    plan: planBySize(30, 10),
    csv: "/app/repos.csv",
    runId: "all-fail",
    jobQueue: env.queue,
    jobDefinition: env.jobDefinition,
    jobName: "nightly",
  });
  const [job] = (await submit(plan, { batch })).jobs;
  await terminate(env, `${job!.jobId}:2`, "OutOfMemoryError: Container killed due to memory usage");
  const status = await getRunStatus(batch, { jobId: job!.jobId });
  expect(status.counts).toMatchObject({ FAILED: 3, SUCCEEDED: 0 });
  expect(status.done).toBe(true);
  expect(status.ok).toBe(false);
  expect(status.failed.map((f) => [f.partition, f.jobId, f.logStreamName])).toEqual(
    [0, 1, 2].map((i) => [i + 1, `${job!.jobId}:${i}`, `${env.jobDefinition}/default/${job!.jobId}:${i}`]),
  );
  expect(status.failed[2]!.statusReason).toBe("OutOfMemoryError: Container killed due to memory usage");

  const retry = await retryFailed(batch, { runId: "all-fail", jobQueue: env.queue, jobName: "nightly" });
  expect(retry.partitions).toEqual([1, 2, 3]);
  const retried = await describeJob(env, retry.jobs[0]!.jobId);
  expect(retried.jobName).toBe("nightly-all-fail-r1");
  expect(retried.parameters?.partitions).toBe("1-3");
  // Second retry gets the next attempt number; the failed retry children are now the latest attempts.
  const again = await retryFailed(batch, { runId: "all-fail", jobQueue: env.queue, jobName: "nightly" });
  expect(again.jobs[0]!.jobName).toBe("nightly-all-fail-r2");
  const final = await getRunStatus(batch, { runId: "all-fail", jobQueue: env.queue, jobName: "nightly" });
  expect(final.partitions.map((p) => p.attempts)).toEqual([3, 3, 3]);
  expect(final.failed.every((f) => f.jobId.startsWith(again.jobs[0]!.jobId))).toBe(true);
});
