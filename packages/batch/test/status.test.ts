// Run status against a real moto_server.

import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { getRunStatus, submit, waitForRun } from "../src/index.js";
import { useBatchMoto } from "./fixtures/batch-env.js";

const t = useBatchMoto();
const plan = t.plan;

describe("getRunStatus / waitForRun", () => {
  it("counts succeeded children", async () => {
    const result = await submit(plan(120, 25), { batch: t.batch });
    const controller = new AbortController();
    const status = await waitForRun(
      t.batch,
      { jobId: result.jobs[0]!.jobId },
      { intervalMs: 200, timeoutMs: 30_000, signal: controller.signal },
    );
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect(status.runId).toBe("run-1");
    expect(status.total).toBe(5);
    expect(status.counts.SUCCEEDED).toBe(5);
    expect(status.failed).toEqual([]);
    expect(status.ok).toBe(true);
  });

  it("does not start waiting when the signal has already aborted: rejects with its reason", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    const error = await waitForRun(t.batch, { runId: "run-1", jobQueue: t.env.queue }, { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(error).toBe(reason);
  });

  it("says which run is missing", async () => {
    const error = await getRunStatus(t.batch, { runId: "never", jobQueue: t.env.queue }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RUN_NOT_FOUND" });
  });
});
