import { PROCESSOR_COMMAND, PROCESSOR_PARAMETERS, substituteCommand } from "@mass-ingest/contract";
import { planBySize } from "@mass-ingest/partition";
import { describe, expect, it } from "vitest";
import { defaultRunId, plannedCalls, planSubmission } from "../src/index.js";

describe("planSubmission", () => {
  const base = { csv: "s3://b/repos.csv", runId: "2026-11-29", jobQueue: "q", jobDefinition: "d" };

  it("10,000 rows / 50: one SubmitJob, an array of 200 whose parameters fill the job definition's command", () => {
    const plan = planSubmission({ ...base, plan: planBySize(10_000, 50) });
    expect(plan.jobs).toHaveLength(1);
    const job = plan.jobs[0]!;
    expect(job.input.arrayProperties).toEqual({ size: 200 });
    expect(job.input.jobName).toBe("mass-ingest-2026-11-29");
    const command = substituteCommand(PROCESSOR_COMMAND, job.input.parameters!);
    expect(command.some((a) => a.includes("Ref::"))).toBe(false);
    expect(command).toEqual([
      "mass-ingest-processor",
      "s3://b/repos.csv",
      "--partition-size",
      "50",
      "--row-count",
      "10000",
      "--run-id",
      "2026-11-29",
      "--start",
      "0",
      "--end",
      "0",
      "--partitions",
      "all",
      "--plan",
      "none",
    ]);
    expect(Object.keys(job.input.parameters!).sort()).toEqual(Object.values(PROCESSOR_PARAMETERS).sort());
    const calls = plannedCalls(plan);
    expect(calls.filter((c) => c.operation === "batch:SubmitJob")).toHaveLength(1);
  });

  it("past 10,000 partitions: one array job per 10,000, later ones list their partitions as a range", () => {
    const plan = planSubmission({ ...base, plan: planBySize(10_001, 1) });
    expect(plan.jobs.map((j) => [j.name, j.kind, j.arraySize])).toEqual([
      ["mass-ingest-2026-11-29-a1", "array", 10_000],
      ["mass-ingest-2026-11-29-a2", "single", undefined],
    ]);
    expect(plan.jobs[1]!.input.parameters).toMatchObject({ partitions: "10001", start: "10001", end: "10001" });
    const three = planSubmission({ ...base, plan: planBySize(25, 1), maxArraySize: 10 });
    expect(three.jobs[1]!.input.parameters?.partitions).toBe("11-20");
  });

  it("per-partition: one job per partition with start/end", () => {
    const plan = planSubmission({ ...base, plan: planBySize(120, 50), mode: "per-partition" });
    expect(plan.jobs.map((j) => [j.name, j.input.parameters?.start, j.input.parameters?.end])).toEqual([
      ["mass-ingest-2026-11-29-p1", "1", "50"],
      ["mass-ingest-2026-11-29-p2", "51", "100"],
      ["mass-ingest-2026-11-29-p3", "101", "120"],
    ]);
  });

  it("a manifest: every job carries its location, no start/end, child i runs manifest partition i + 1", () => {
    const manifest = { location: "s3://state/runs/2026-11-29/manifest.json", rowCount: 120, partitionSize: 50, partitions: 3 };
    const plan = planSubmission({ ...base, manifest });
    expect(plan).toMatchObject({ partitions: [1, 2, 3], manifest: manifest.location, rowCount: 120, partitionSize: 50 });
    expect(plan.jobs).toHaveLength(1);
    expect(plan.jobs[0]!.input.arrayProperties).toEqual({ size: 3 });
    expect(plan.jobs[0]!.input.parameters).toMatchObject({ plan: manifest.location, partitions: "all", start: "0", end: "0" });
    const one = planSubmission({ ...base, manifest: { ...manifest, partitions: 1 } });
    expect(one.jobs.map((j) => [j.kind, j.arraySize])).toEqual([["single", undefined]]);
    expect(one.jobs[0]!.input.parameters).toMatchObject({ plan: manifest.location, partitions: "1", start: "0", end: "0" });
    const perPartition = planSubmission({ ...base, manifest: { ...manifest, partitions: 2 }, mode: "per-partition" });
    expect(perPartition.jobs.map((j) => [j.name, j.input.parameters?.partitions, j.input.parameters?.plan])).toEqual([
      ["mass-ingest-2026-11-29-p1", "1", manifest.location],
      ["mass-ingest-2026-11-29-p2", "2", manifest.location],
    ]);
    // row ranges carry no manifest
    expect(planSubmission({ ...base, plan: planBySize(120, 50) })).not.toHaveProperty("manifest");
    expect(planSubmission({ ...base, plan: planBySize(120, 50) }).jobs[0]!.input.parameters?.plan).toBe("none");
  });

  it("rejects run ids and job names that do not fit AWS job names", () => {
    expect(() => planSubmission({ ...base, runId: "a b", plan: planBySize(1, 1) })).toThrow(
      expect.objectContaining({ code: "INVALID_RUN_ID" }),
    );
    expect(() => planSubmission({ ...base, jobName: "-x", plan: planBySize(1, 1) })).toThrow(
      expect.objectContaining({ code: "INVALID_SETTING" }),
    );
    expect(defaultRunId(new Date("2026-11-29T18:10:00.123Z"), {})).toBe("20261129T181000Z");
  });

  it("defaults the run id to the chunk job's own Batch job id, which survives Batch retries of that job", () => {
    const jobId = "8f3c2a1e-5b6d-4c7e-9f80-1a2b3c4d5e6f";
    expect(defaultRunId(new Date("2026-11-29T00:00:00Z"), { AWS_BATCH_JOB_ID: jobId })).toBe(jobId);
    // an array child's id ("<id>:<index>") is no run id: fall back to the time
    expect(defaultRunId(new Date("2026-11-29T00:00:00Z"), { AWS_BATCH_JOB_ID: `${jobId}:3` })).toBe("20261129T000000Z");
  });
});
