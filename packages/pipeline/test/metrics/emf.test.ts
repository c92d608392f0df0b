import { describe, expect, it } from "vitest";
import type { PipelineEvent } from "../../src/options.js";
import { createEmfMetrics, EMF_FAILURE_METRIC, EMF_NAMESPACE, EMF_REPO_METRICS, EMF_STEP_METRICS } from "../../src/metrics/emf.js";
import type { RepoResult, StepName } from "../../src/report.js";

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
    // the counts, then one event per failure cause (here `unknown` and `timeout`, no step known)
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).map((l) => parseEmf(l).body.Cause)).toEqual(["unknown", "timeout"]);
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

  it("writes the failures by cause and step with Cause and Step dimensions, only for the causes that occurred", async () => {
    const lines: string[] = [];
    const metrics = createEmfMetrics({ runId: "run-8", partition: "2", write: (l) => lines.push(l) });
    const failed = (row: number, failedStep: StepName, reason: string, status: RepoResult["status"] = "failed"): PipelineEvent => ({
      type: "repo-done",
      result: { row, group: `g${row}`, status, steps: [], durationsMs: {}, exitCodes: {}, logs: {}, failedStep, reason },
    });
    for (const e of [
      repoDone(1, "ok"),
      failed(2, "publish", "HTTP 503 Service Unavailable"),
      failed(3, "publish", "Connection reset by peer"),
      failed(4, "build", "[ERROR] COMPILATION ERROR"),
      failed(5, "build", "build ran past its timeout", "timed-out"),
    ])
      metrics.onEvent(e);
    await metrics.close();
    const byCause = lines.map((l) => parseEmf(l)).filter((p) => p.body[EMF_FAILURE_METRIC] !== undefined);
    expect(byCause.map((p) => p.directive.Dimensions)).toEqual(Array(3).fill([["Cause"], ["Cause", "Step"], ["RunId", "Cause", "Step"]]));
    expect(byCause.map((p) => [p.body.Cause, p.body.Step, p.body[EMF_FAILURE_METRIC], p.body.RunId])).toEqual([
      ["transient", "publish", 2, "run-8"],
      ["build", "build", 1, "run-8"],
      ["timeout", "build", 1, "run-8"],
    ]);
    for (const p of byCause) expect(p.directive.Metrics).toEqual([{ Name: EMF_FAILURE_METRIC, Unit: "Count" }]);
    // the counts by outcome are unchanged: one event with every outcome
    expect(lines.map((l) => parseEmf(l)).filter((p) => p.body.ReposFailed !== undefined)[0]!.body).toMatchObject({
      ReposFailed: 3,
      ReposTimedOut: 1,
    });
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
