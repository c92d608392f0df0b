// Retrying the failed partitions of a run against a real moto_server (Docker mode toggled to make children fail).
import { TAGS } from "@mass-ingest/contract";

import { describe, expect, it } from "vitest";
import { getRunStatus, retryFailed, submit, waitForRun, type BatchApi } from "../src/index.js";
import { describeJob, setDockerMode, terminate, useBatchMoto } from "./fixtures/batch-env.js";

const t = useBatchMoto();
const plan = t.plan;
const csv = "s3://repos/repos.csv";

describe("retryFailed", () => {
  it("reports failed children with reason and retries only those, as one array job linked to the run", async () => {
    // Two array jobs in one run: moto runs the first without Docker (children succeed) and the second with
    // Docker, which is absent here, so its children fail. The toggle happens between the two real SubmitJob calls.
    const toggling: BatchApi = {
      ...t.batch,
      calls: t.batch.calls,
      submitJob: async (input) => {
        if (input.jobName?.endsWith("-a2")) await setDockerMode(t.moto, true);
        return t.batch.submitJob(input);
      },
    };
    const result = await submit(plan(10, 2, { maxArraySize: 3 }), { batch: toggling, concurrency: 1 });
    await setDockerMode(t.moto, false);
    const failing = result.jobs[1]!;
    expect(failing.partitions).toEqual([4, 5]);
    const status = await waitForRun(t.batch, { runId: "run-1", jobQueue: t.env.queue }, { intervalMs: 200, timeoutMs: 30_000 });
    await terminate(t.env, `${failing.jobId}:1`, "Essential container in task exited");
    const after = await getRunStatus(t.batch, { runId: "run-1", jobQueue: t.env.queue });
    expect(status.counts).toMatchObject({ SUCCEEDED: 3, FAILED: 2 });
    expect(after.failed.map((f) => f.partition)).toEqual([4, 5]);
    expect(after.failed[1]).toMatchObject({
      partition: 5,
      jobId: `${failing.jobId}:1`,
      statusReason: "Essential container in task exited",
    });
    expect(after.ok).toBe(false);

    const retry = await retryFailed(t.batch, { runId: "run-1", jobQueue: t.env.queue });
    expect(retry.partitions).toEqual([4, 5]);
    expect(retry.jobs).toHaveLength(1);
    const job = await describeJob(t.env, retry.jobs[0]!.jobId);
    expect(job.jobName).toBe("mass-ingest-run-1-r1");
    expect(job.arrayProperties?.size).toBe(2);
    expect(job.parameters).toMatchObject({ partitions: "4,5", partitionSize: "2", rowCount: "10", csv, runId: "run-1" });
    expect(job.tags).toMatchObject({ [TAGS.runId]: "run-1", [TAGS.kind]: "retry", [TAGS.retryOf]: "run-1" });

    // The retry's children (moto without Docker: they succeed) are now the latest attempt of 4 and 5.
    const final = await getRunStatus(t.batch, { runId: "run-1", jobQueue: t.env.queue });
    expect(final.counts).toMatchObject({ SUCCEEDED: 5, FAILED: 0 });
    expect(final.partitions.find((p) => p.partition === 5)).toMatchObject({ attempts: 2, jobId: `${job.jobId}:1` });
    expect(final.ok).toBe(true);
    const nothing = await retryFailed(t.batch, { runId: "run-1", jobQueue: t.env.queue });
    expect(nothing.partitions).toEqual([]);
    expect(nothing.jobs).toEqual([]);
  });

  it("retries a single failed partition as a plain job with its range", async () => {
    await setDockerMode(t.moto, true);
    const result = await submit(plan(3, 3), { batch: t.batch });
    await setDockerMode(t.moto, false);
    await waitForRun(t.batch, { jobId: result.jobs[0]!.jobId }, { intervalMs: 200, timeoutMs: 30_000 });
    const retry = await retryFailed(t.batch, { jobId: result.jobs[0]!.jobId });
    expect(retry.partitions).toEqual([1]);
    const job = await describeJob(t.env, retry.jobs[0]!.jobId);
    expect(job.arrayProperties?.size).toBeUndefined();
    expect(job.parameters).toMatchObject({ start: "1", end: "3", partitions: "1" });
  });
});
