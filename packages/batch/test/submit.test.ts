// submit against a real moto_server: array and per-partition layouts, idempotency, and the checks before anything is submitted.
import { ListJobsCommand, RegisterJobDefinitionCommand } from "@aws-sdk/client-batch";
import { PROCESSOR_PARAMETERS, TAGS } from "@mass-ingest/contract";
import { createSecretsClientFactory } from "@mass-ingest/core/aws";

import { describe, expect, it } from "vitest";
import { BatchError, createBatchApi, getRunStatus, submit } from "../src/index.js";
import { awsOptions, describeJob, useBatchMoto } from "./fixtures/batch-env.js";

const t = useBatchMoto();
const plan = t.plan;
const csv = "s3://repos/repos.csv";

describe("submit as array jobs", () => {
  it("submits 230 rows / 50 as one array job of 5 with the contract's parameters, run id in name and tags", async () => {
    const result = await submit(plan(230, 50), { batch: t.batch });
    expect(result.alreadySubmitted).toBe(false);
    expect(result.jobs).toHaveLength(1);
    expect(t.batch.calls.SubmitJob).toBe(1);
    const job = await describeJob(t.env, result.jobs[0]!.jobId);
    expect(job.jobName).toBe("mass-ingest-run-1");
    expect(job.arrayProperties?.size).toBe(5);
    expect(job.tags).toMatchObject({ [TAGS.runId]: "run-1", [TAGS.kind]: "array" });
    expect(job.parameters).toMatchObject({
      [PROCESSOR_PARAMETERS.csv]: csv,
      [PROCESSOR_PARAMETERS.partitionSize]: "50",
      [PROCESSOR_PARAMETERS.rowCount]: "230",
      [PROCESSOR_PARAMETERS.runId]: "run-1",
      [PROCESSOR_PARAMETERS.start]: "0",
      [PROCESSOR_PARAMETERS.end]: "0",
      [PROCESSOR_PARAMETERS.partitions]: "all",
    });
    // moto models the children as "<jobId>:<index>".
    const children = await t.env.client.send(new ListJobsCommand({ arrayJobId: result.jobs[0]!.jobId, jobStatus: "SUCCEEDED" }));
    expect(children.jobSummaryList?.map((c) => c.jobId).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${result.jobs[0]!.jobId}:${i}`));
  });

  it("submits a single partition as a plain job with start/end", async () => {
    const result = await submit(plan(7, 50), { batch: t.batch });
    const job = await describeJob(t.env, result.jobs[0]!.jobId);
    expect(job.arrayProperties?.size).toBeUndefined();
    expect(job.tags?.[TAGS.kind]).toBe("single");
    expect(job.parameters).toMatchObject({ start: "1", end: "7", partitions: "1", rowCount: "7" });
  });

  it("splits past the array limit into several array jobs (limit lowered for the test)", async () => {
    const result = await submit(plan(11, 2, { maxArraySize: 4 }), { batch: t.batch });
    expect(result.jobs.map((j) => j.jobName)).toEqual(["mass-ingest-run-1-a1", "mass-ingest-run-1-a2"]);
    const second = await describeJob(t.env, result.jobs[1]!.jobId);
    expect(second.arrayProperties?.size).toBe(2);
    expect(second.parameters?.partitions).toBe("5,6");
    const status = await getRunStatus(t.batch, { runId: "run-1", jobQueue: t.env.queue });
    expect(status.total).toBe(6);
    expect(status.counts.SUCCEEDED).toBe(6);
  });

  it("is idempotent: the same run id again finds the job and submits nothing", async () => {
    const first = await submit(plan(100, 10), { batch: t.batch });
    const again = createBatchApi(awsOptions(t.moto));
    const second = await submit(plan(100, 10), { batch: again });
    expect(second.alreadySubmitted).toBe(true);
    expect(second.submittedCount).toBe(0);
    expect(second.jobs[0]!.jobId).toBe(first.jobs[0]!.jobId);
    expect(again.calls.SubmitJob ?? 0).toBe(0);
    const all = await t.env.client.send(
      new ListJobsCommand({ jobQueue: t.env.queue, filters: [{ name: "JOB_NAME", values: ["mass-ingest-run-1*"] }] }),
    );
    expect(all.jobSummaryList?.filter((j) => !j.jobId!.includes(":"))).toHaveLength(1);
    // A different run id is a different run; a run id that merely starts the same is not confused with it.
    const other = await submit(plan(100, 10, { runId: "run-10" }), { batch: t.batch });
    expect(other.alreadySubmitted).toBe(false);
  });
});

describe("submit per partition", () => {
  it("submits one job per partition with start/end, bounded concurrency, and resumes only the missing ones", async () => {
    const p = plan(95, 10, { mode: "per-partition", jobName: "nightly" });
    const result = await submit(p, { batch: t.batch, concurrency: 3 });
    expect(result.jobs).toHaveLength(10);
    expect(t.batch.calls.SubmitJob).toBe(10);
    const jobs = await Promise.all(result.jobs.map((j) => describeJob(t.env, j.jobId)));
    const byName = new Map(jobs.map((j) => [j.jobName, j]));
    expect(byName.get("nightly-run-1-p1")?.parameters).toMatchObject({ start: "1", end: "10", partitions: "1" });
    expect(byName.get("nightly-run-1-p10")?.parameters).toMatchObject({ start: "91", end: "95", partitions: "10" });
    expect(jobs.every((j) => j.tags?.[TAGS.runId] === "run-1" && j.tags?.[TAGS.kind] === "partition")).toBe(true);
    const again = createBatchApi(awsOptions(t.moto));
    const second = await submit(p, { batch: again });
    expect(second.alreadySubmitted).toBe(true);
    expect(again.calls.SubmitJob ?? 0).toBe(0);
  });
});

describe("clear errors before anything is submitted", () => {
  it("names a missing queue", async () => {
    const error = await submit(plan(10, 5, { jobQueue: "no-such-queue" }), { batch: t.batch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchError);
    expect(error).toMatchObject({ code: "JOB_QUEUE_NOT_FOUND", exitCode: 2 });
    expect((error as BatchError).message).toContain("no-such-queue");
    expect((error as BatchError).message).toContain("JOB_QUEUE");
    expect(t.batch.calls.SubmitJob ?? 0).toBe(0);
  });

  it("names a missing job definition", async () => {
    const error = await submit(plan(10, 5, { jobDefinition: "nope" }), { batch: t.batch }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "JOB_DEFINITION_NOT_FOUND" });
    expect((error as BatchError).message).toContain("JOB_DEFINITION");
  });

  it("checks every secret the job definition references and names the missing one", async () => {
    const secrets = createSecretsClientFactory(awsOptions(t.moto));
    try {
      const ok = await submit(plan(10, 5, { jobDefinition: t.env.jobDefinitionWithSecrets }), {
        batch: t.batch,
        secretsClientFor: secrets.clientFor,
      });
      expect(ok.secrets.map((s) => s.name)).toEqual(["MODERNE_TOKEN", "PUBLISH_PASSWORD"]);
      const missingArn = t.env.secretArn.replace("mod-token", "gone-token");
      await t.env.client.send(
        new RegisterJobDefinitionCommand({
          jobDefinitionName: "broken",
          type: "container",
          containerProperties: {
            image: "x",
            command: ["true"],
            resourceRequirements: [
              { type: "VCPU", value: "1" },
              { type: "MEMORY", value: "512" },
            ],
            secrets: [{ name: "GIT_PASSWORD", valueFrom: missingArn }],
          },
        }),
      );
      const error = await submit(plan(10, 5, { jobDefinition: "broken", runId: "run-2" }), {
        batch: t.batch,
        secretsClientFor: secrets.clientFor,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "SECRET_NOT_FOUND", exitCode: 2 });
      expect((error as BatchError).message).toContain("GIT_PASSWORD");
      expect((error as BatchError).message).toContain("gone-token");
      const listed = await t.env.client.send(
        new ListJobsCommand({ jobQueue: t.env.queue, filters: [{ name: "JOB_NAME", values: ["mass-ingest-run-2*"] }] }),
      );
      expect(listed.jobSummaryList).toEqual([]);
    } finally {
      secrets.close();
    }
  });
});
