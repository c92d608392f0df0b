import type { JobDetail } from "@aws-sdk/client-batch";
import { describe, expect, it } from "vitest";
import { PROCESSOR_PARAMETERS, TAGS } from "@mass-ingest/contract";
import { childTaskIds, runTaskIds, taskIdOfArn, type BatchApi } from "../src/index.js";

// DescribeJobs of an array child (`<arrayJobId>:3`) that ran twice (a Spot reclaim, then a retry), in the shape the
// Batch API reference documents. moto (5.2) fills `taskArn` with the job definition's ARN, so it cannot stand in.
const TASK_1 = "arn:aws:ecs:us-east-1:123456789012:task/mi-prod-compute_Batch_1a2b/0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const TASK_2 = "arn:aws:ecs:us-east-1:123456789012:task/mi-prod-compute_Batch_1a2b/a1b2c3d4e5f60718293a4b5c6d7e8f90";
const child = {
  jobId: "4d3c2b1a-aaaa-bbbb-cccc-0123456789ab:3",
  arrayProperties: { index: 3 },
  attempts: [
    { container: { taskArn: TASK_1, exitCode: 143, logStreamName: "mi-prod-processor/default/x" }, statusReason: "Host EC2 terminated" },
    { container: { taskArn: TASK_2, exitCode: 0 } },
  ],
  container: { taskArn: TASK_2, exitCode: 0 },
} as unknown as JobDetail;

describe("the ECS tasks AWS Batch ran for an array child", () => {
  it("reads the task id of each attempt and of the current one, each once, oldest first", () => {
    expect(childTaskIds(child)).toEqual(["0f1e2d3c4b5a69788796a5b4c3d2e1f0", "a1b2c3d4e5f60718293a4b5c6d7e8f90"]);
  });

  it("a child not started yet has no task; odd ARNs are not tasks", () => {
    expect(childTaskIds({ attempts: [], container: {} } as unknown as JobDetail)).toEqual([]);
    expect(taskIdOfArn("arn:aws:ecs:us-east-1:123456789012:task/abc123")).toBe("abc123");
    expect(taskIdOfArn("arn:aws:batch:us-east-1:123456789012:job-definition/mi-prod-processor:3")).toBeUndefined();
    expect(taskIdOfArn("arn:aws:ecs:us-east-1:123456789012:task/c/x/../y")).toBeUndefined();
  });
});

// A run's jobs as DescribeJobs / ListJobs answer (moto cannot: its taskArn is the job definition's ARN): an array job
// of two children (partition 2's child ran twice) and a plain retry job of partition 2.
describe("the ECS tasks AWS Batch ran for each partition of a run", () => {
  const task = (id: string) => ({ taskArn: `arn:aws:ecs:us-east-1:123456789012:task/mi-compute_Batch_1a2b/${id}` });
  const tags = { [TAGS.runId]: "r1", [TAGS.kind]: "array" };
  const jobs: Record<string, Partial<JobDetail>> = {
    A: { jobId: "A", jobName: "mass-ingest-r1", tags, arrayProperties: { size: 2 }, parameters: {}, createdAt: 1 },
    "A:0": { jobId: "A:0", attempts: [{ container: task("t1") }], container: task("t1") },
    "A:1": { jobId: "A:1", attempts: [{ container: task("t2a") }, { container: task("t2b") }], container: task("t2b") },
    R: {
      jobId: "R",
      jobName: "mass-ingest-r1-retry1",
      tags: { ...tags, [TAGS.kind]: "retry" },
      parameters: { [PROCESSOR_PARAMETERS.partitions]: "2" },
      createdAt: 2,
      container: task("t3"),
    },
  };
  const described: string[][] = [];
  const batch = {
    listJobs: async () => ({
      jobSummaryList: [
        { jobId: "A", jobName: "mass-ingest-r1" },
        { jobId: "R", jobName: "mass-ingest-r1-retry1" },
      ],
    }),
    describeJobs: async ({ jobs: ids }: { jobs: string[] }) => {
      described.push(ids);
      return { jobs: ids.flatMap((id) => (jobs[id] ? [jobs[id]] : [])) };
    },
  } as unknown as BatchApi;
  const target = { runId: "r1", jobQueue: "q", jobName: "mass-ingest" };

  it("binds every attempt's task to the partition its child or job ran", async () => {
    const ran = await runTaskIds(batch, target);
    expect([...ran.entries()].map(([p, tasks]) => [p, [...tasks].sort()]).sort()).toEqual([
      [1, ["t1"]],
      [2, ["t2a", "t2b", "t3"]],
    ]);
  });

  it("describes only the children of the partitions asked for", async () => {
    described.length = 0;
    expect(await runTaskIds(batch, target, [1])).toEqual(new Map([[1, ["t1"]]]));
    expect(described.at(-1)).toEqual(["A:0"]);
  });
});
