import { describe, expect, it } from "vitest";
import { buildReportData, reportInputFromRecords, trendPointOf } from "../src/index.js";
import { reportJson } from "../src/published.js";
import { at, night } from "./state-fixture.js";

describe("reportInputFromRecords", () => {
  const input = reportInputFromRecords(night(1), { vcpusPerPartition: 4, pricePerVcpuHour: 0.05 });

  it("lists every repository by its outcome: results, not started (planned, no result) and unchanged (selection)", () => {
    expect(input.repos.map((r) => [r.row, r.outcome, r.partition])).toEqual([
      [1, "ok", 1],
      [2, "ok", 1],
      [3, "failed", 1],
      [4, "ok", 2],
      [5, "timed-out", 2],
      [6, "not-started", 2],
      [7, "unchanged", 0],
      [8, "unchanged", 0],
    ]);
    const failed = input.repos.find((r) => r.row === 3)!;
    expect(failed).toMatchObject({
      repository: "acme/repo-3",
      step: "build",
      error: "[ERROR] Could not resolve dependencies for x:y:1",
      log: "/data/logs/acme/repo-3/build.log",
    });
    expect(input.repos.find((r) => r.row === 7)).toMatchObject({
      repository: "acme/repo-7",
      cloneUrl: "https://git.example.com/acme/repo-7",
    });
  });

  it("partitions run from the first attempt's start (else the earliest repository's start) to the last write, with the plan's prediction and their failures", () => {
    expect(input.partitions).toEqual([
      { partition: 1, predictedMs: 360_000, repos: 3, failed: 1, startedAt: at(1, 1), finishedAt: at(1, 9) },
      {
        partition: 2,
        predictedMs: 900_000,
        repos: 3,
        failed: 1,
        startedAt: new Date(Date.parse(at(1, 5)) - 241_500).toISOString(),
        finishedAt: at(1, 14),
      },
    ]);
  });

  it("the run: submit time, predicted makespan, csv without credentials, price and vCPUs", () => {
    expect(input.run).toEqual({
      runId: "night-1",
      startedAt: at(1, 0),
      predictedMakespanMs: 720_000,
      csv: "https://csv.example.com/repos.csv",
      vcpusPerPartition: 4,
      pricePerVcpuHour: 0.05,
    });
    const data = buildReportData(input);
    expect(data.totals).toEqual({ repos: 8, ok: 3, failed: 1, timedOut: 1, unchanged: 2, notStarted: 1 });
    expect(data.wallMs).toBe(14 * 60_000);
  });

  it("a retry's later result for the same repository replaces the earlier one", () => {
    const records = night(1);
    records.results[1]!.repos.push({ ...records.results[1]!.repos[1]!, outcome: "ok", finishedAt: at(1, 20) });
    expect(reportInputFromRecords(records).repos.find((r) => r.row === 5)?.outcome).toBe("ok");
  });
});

describe("trendPointOf", () => {
  it("counts built (with a result), unchanged, failures (failed + timed out) and the wall time", () => {
    expect(trendPointOf(night(2))).toEqual({
      runId: "night-2",
      startedAt: at(2, 0),
      built: 5,
      unchanged: 2,
      failed: 2,
      wallMs: 14 * 60_000,
    });
  });
});

describe("a repository the records give by key alone (not started, unchanged, or written before its path was recorded)", () => {
  it.each([
    ["https://user:pw@github.com/org/repo.git", "org/repo"],
    ["git@github.com:org/repo.git", "org/repo"],
    ["ssh://git@host:2222/group/sub/repo", "group/sub/repo"],
    ["git://127.0.0.1:9418/acme/lib/", "acme/lib"],
    ["/srv/git/acme/lib.git", "srv/git/acme/lib"],
    ["https://host.example.com", "https://host.example.com"],
  ])("%s -> %s", (url, repo) => {
    const records = night(1);
    records.selection.unchanged = [{ row: 9, key: url, commit: "a".repeat(40) }];
    expect(reportInputFromRecords(records).repos.find((r) => r.row === 9)?.repository).toBe(repo);
  });
});

describe("a result entry that records its step and repository", () => {
  it("is reported with them as recorded, not guessed from its durations or URL", () => {
    const records = night(1);
    const [first] = records.results;
    first!.repos = first!.repos.map((e) => (e.row === 3 ? { ...e, step: "sync" as const, repository: "given/path" } : e));
    const repo = reportInputFromRecords(records).repos.find((r) => r.row === 3);
    expect(repo).toMatchObject({ outcome: "failed", step: "sync", repository: "given/path" });
  });
});

describe("report.json", () => {
  it("keeps version 1's published spellings: timeout and not-reached", () => {
    const data = buildReportData(reportInputFromRecords(night(1)));
    const json = JSON.parse(reportJson(data)) as { totals: object; slowest: Array<{ outcome: string }> };
    expect(json.totals).toEqual({ repos: 8, ok: 3, failed: 1, timeout: 1, unchanged: 2, notReached: 1 });
    expect(json.slowest.map((r) => r.outcome)).toContain("timeout");
    expect(json.slowest.map((r) => r.outcome)).not.toContain("timed-out");
  });
});
