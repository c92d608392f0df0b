import { describe, expect, it } from "vitest";
import type { PipelineEvent } from "../../src/options.js";
import { createEmfMetrics, EMF_NAMESPACE, EMF_REPO_METRICS, EMF_STEP_METRICS } from "../../src/metrics/emf.js";
import type { RepoResult } from "../../src/report.js";

const repoDone = (row: number, status: RepoResult["status"]): PipelineEvent => ({
  type: "repo-done",
  result: { row, group: `g${row}`, status, steps: [], durationsMs: {}, exitCodes: {}, logs: {} },
});
const stepEnd = (step: "sync" | "build" | "publish" | "build-log", durationMs: number): PipelineEvent => ({
  type: "step-end",
  group: "g",
  step,
  exitCode: 0,
  durationMs,
  timedOut: false,
  aborted: false,
});

interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: Array<{ Name: string; Unit: string }>;
}

/** A line as CloudWatch reads it: one JSON object with `_aws.Timestamp` and `_aws.CloudWatchMetrics`, every metric and dimension a member. */
function parseEmf(line: string): { directive: EmfDirective; body: Record<string, unknown> } {
  const body = JSON.parse(line) as Record<string, unknown> & { _aws: { Timestamp: number; CloudWatchMetrics: EmfDirective[] } };
  expect(Number.isInteger(body._aws.Timestamp)).toBe(true);
  expect(body._aws.CloudWatchMetrics).toHaveLength(1);
  const directive = body._aws.CloudWatchMetrics[0]!;
  for (const set of directive.Dimensions) for (const d of set) expect(typeof body[d]).toBe("string");
  for (const m of directive.Metrics) expect(body[m.Name]).toBeDefined();
  return { directive, body };
}

describe("createEmfMetrics", () => {
  it("writes the run's counts by outcome and its step durations as valid EMF with run id and partition dimensions", async () => {
    const lines: string[] = [];
    const metrics = createEmfMetrics({ runId: "run-7", partition: "3", write: (l) => lines.push(l) });
    for (const e of [
      stepEnd("sync", 1200),
      stepEnd("build", 61_000),
      stepEnd("build", 5_000),
      stepEnd("build-log", 10),
      stepEnd("publish", 800),
    ])
      metrics.onEvent(e);
    for (const e of [repoDone(1, "ok"), repoDone(2, "ok"), repoDone(3, "failed"), repoDone(4, "timed-out"), repoDone(5, "skipped")])
      metrics.onEvent(e);
    metrics.onEvent({ type: "warning", message: "ignored" });
    metrics.addUnchanged(40);
    expect(lines).toEqual([]);
    await metrics.close();
    await metrics.close();
    expect(lines).toHaveLength(1);
    const { directive, body } = parseEmf(lines[0]!);
    expect(directive.Namespace).toBe(EMF_NAMESPACE);
    expect(directive.Dimensions).toEqual([[], ["RunId"], ["RunId", "Partition"]]);
    expect(body).toMatchObject({ RunId: "run-7", Partition: "3" });
    expect(Object.fromEntries(directive.Metrics.map((m) => [m.Name, m.Unit]))).toEqual({
      ReposOk: "Count",
      ReposFailed: "Count",
      ReposTimedOut: "Count",
      ReposSkipped: "Count",
      ReposNotStarted: "Count",
      ReposUnchanged: "Count",
      SyncDuration: "Milliseconds",
      BuildDuration: "Milliseconds",
      PublishDuration: "Milliseconds",
    });
    expect(body).toMatchObject({
      ReposOk: 2,
      ReposFailed: 1,
      ReposTimedOut: 1,
      ReposSkipped: 1,
      ReposNotStarted: 0,
      ReposUnchanged: 40,
      SyncDuration: 1200,
      BuildDuration: [61_000, 5_000],
      PublishDuration: 800,
    });
    expect(Object.values(EMF_REPO_METRICS).length + Object.values(EMF_STEP_METRICS).length).toBe(directive.Metrics.length);
  });

  it("splits more than 100 values of one metric over several lines (the EMF limit), in its own namespace", async () => {
    const lines: string[] = [];
    const metrics = createEmfMetrics({ runId: "r", partition: "1-250", namespace: "Nightly", write: (l) => lines.push(l) });
    for (let i = 0; i < 250; i++) metrics.onEvent(stepEnd("build", i));
    await metrics.close();
    const builds = lines.map((l) => parseEmf(l)).filter((p) => p.directive.Namespace === "Nightly" && p.body.BuildDuration !== undefined);
    expect(builds.flatMap((p) => p.body.BuildDuration as number[])).toHaveLength(250);
    for (const p of builds) expect((p.body.BuildDuration as number[]).length).toBeLessThanOrEqual(100);
  });
});
