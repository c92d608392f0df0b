import { expect, it } from "vitest";
import type { RunReport } from "../src/report.js";
import { formatSummary } from "../src/summary.js";

function report(repos: number): RunReport {
  const none = { local: "/tmp/x.zip" };
  return {
    version: 1,
    index: "1-1",
    ts: "202601010000",
    startedAt: "2026-01-01T00:00:00Z",
    finishedAt: "2026-01-01T00:00:05Z",
    durationMs: 5000,
    published: false,
    batchSize: 1,
    concurrency: { sync: 1, build: 1, publish: 1, maxPending: 1 },
    buildTimeoutMs: 1000,
    totals: { repos, ok: repos, failed: 0, timedOut: 0, skipped: 0, notStarted: 0 },
    overheadMsPerRepo: 0,
    schedulingMsPerRepo: 0,
    logs: { syncLog: none, buildLog: none, report: none },
    repos: [],
  } as unknown as RunReport;
}

it("leads with the repositories and says 1 repository, not 1 repositories", () => {
  const one = formatSummary(report(1)).split("\n")[0]!;
  expect(one).toMatch(/^1 repository \(1-1\) in 5s: 1 ok/);
  expect(formatSummary(report(2)).split("\n")[0]).toMatch(/^2 repositories \(1-1\)/);
});
