import type { RunStatus } from "@mass-ingest/batch";
import { expect, it } from "vitest";
import { formatStatus } from "../../../src/commands/status/format.js";

const counts = { SUBMITTED: 0, PENDING: 0, RUNNABLE: 0, STARTING: 0, RUNNING: 0, SUCCEEDED: 2, FAILED: 1 };

it("prints the counts that are not zero, whether the run is done, and each failed partition with reason, exit code and logs", () => {
  const failed = {
    partition: 3,
    status: "FAILED" as const,
    jobId: "abc:2",
    jobName: "mass-ingest-r1",
    statusReason: "Essential container exited",
    exitCode: 1,
    logStreamName: "proc/default/xyz",
    attempts: 1,
  };
  const status: RunStatus = { runId: "r1", jobs: [], total: 3, counts, failed: [failed], partitions: [failed], done: true, ok: false };
  expect(formatStatus(status)).toBe(
    "run r1: 3 partitions in 0 jobs: SUCCEEDED 2, FAILED 1 (done)\n" +
      "  partition 3 FAILED (abc:2): Essential container exited, exit code 1, logs /aws/batch/job proc/default/xyz",
  );
  expect(formatStatus({ ...status, counts: { ...counts, FAILED: 0, RUNNING: 1 }, failed: [], done: false })).toBe(
    "run r1: 3 partitions in 0 jobs: RUNNING 1, SUCCEEDED 2 (in progress)",
  );
});

it("says 1 partition in 1 job, not 1 partitions in 1 job(s)", () => {
  const status: RunStatus = {
    runId: "r1",
    jobs: [{} as never],
    total: 1,
    counts: { ...counts, SUCCEEDED: 1, FAILED: 0 },
    failed: [],
    partitions: [],
    done: true,
    ok: true,
  };
  expect(formatStatus(status).split("\n")[0]).toBe("run r1: 1 partition in 1 job: SUCCEEDED 1 (done, all succeeded)");
});
