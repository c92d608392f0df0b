// Run status against a real moto_server.

import { describe, expect, it } from "vitest";
import { getRunStatus, submit, waitForRun } from "../src/index.js";
import { useBatchMoto } from "./fixtures/batch-env.js";

const t = useBatchMoto();
const plan = t.plan;

describe("getRunStatus / waitForRun", () => {
  it("counts succeeded children", async () => {
    const result = await submit(plan(120, 25), { batch: t.batch });
    const status = await waitForRun(t.batch, { jobId: result.jobs[0]!.jobId }, { intervalMs: 200, timeoutMs: 30_000 });
    expect(status.runId).toBe("run-1");
    expect(status.total).toBe(5);
    expect(status.counts.SUCCEEDED).toBe(5);
    expect(status.failed).toEqual([]);
    expect(status.ok).toBe(true);
  });

  it("says which run is missing", async () => {
    const error = await getRunStatus(t.batch, { runId: "never", jobQueue: t.env.queue }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RUN_NOT_FOUND" });
  });
});
