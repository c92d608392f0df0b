import type { JobDetail } from "@aws-sdk/client-batch";
import { describe, expect, it } from "vitest";
import { childTaskIds, taskIdOfArn } from "../src/index.js";

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
