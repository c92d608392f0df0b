import type { ReportInput, ReportRepo } from "../src/index.js";

const t = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 1, 0, 0) + minutes * 60_000).toISOString();

/** A run of 3 partitions: 5 built ok, 2 failed the same way, 1 timed out, 2 unchanged, 1 not started. */
export function sampleRun(): ReportInput {
  const repo = (row: number, partition: number, outcome: ReportRepo["outcome"], extra: Partial<ReportRepo> = {}): ReportRepo => ({
    row,
    repository: `acme/repo-${row}`,
    cloneUrl: `https://user:s3cret-token@git.example.com/acme/repo-${row}.git`,
    partition,
    outcome,
    ...(outcome === "ok" || outcome === "failed" || outcome === "timed-out"
      ? {
          durations: { sync: 2_000 * row, build: 60_000 * row, publish: 1_000 },
          finishedAt: t(row),
          log: `/data/run/logs/acme/repo-${row}/build.log`,
        }
      : {}),
    ...extra,
  });
  return {
    run: {
      runId: "20261130T010000Z-a1b2",
      startedAt: t(-1),
      predictedMakespanMs: 9 * 60_000,
      vcpusPerPartition: 4,
      pricePerVcpuHour: 0.05,
      csv: "s3://bucket/repos.csv",
    },
    partitions: [
      { partition: 1, startedAt: t(0), finishedAt: t(6), predictedMs: 5 * 60_000, repos: 4 },
      { partition: 2, startedAt: t(0), finishedAt: t(12), predictedMs: 9 * 60_000, repos: 3 },
      { partition: 3, startedAt: t(1), finishedAt: t(4), predictedMs: 3 * 60_000, repos: 1 },
    ],
    repos: [
      repo(1, 1, "ok"),
      repo(2, 1, "ok"),
      repo(3, 1, "failed", {
        step: "build",
        error:
          "[INFO] Scanning\n\n[ERROR] Failed to execute goal on project repo-3: Could not resolve dependencies for 'x:y:1.2'\n  at foo",
      }),
      repo(4, 1, "ok"),
      repo(5, 2, "failed", {
        step: "build",
        error: "[ERROR] Failed to execute goal on project repo-5: Could not resolve dependencies for 'a:b:3'",
      }),
      repo(6, 2, "timed-out", { step: "build" }),
      repo(7, 2, "ok"),
      repo(8, 3, "ok", { repository: "acme/<script>alert(1)</script>" }),
      repo(9, 0, "unchanged"),
      repo(10, 0, "unchanged"),
      repo(11, 2, "not-started"),
    ],
    trends: [
      { runId: "r-1", startedAt: t(-2 * 1440), built: 40, unchanged: 0, failed: 3, wallMs: 40 * 60_000 },
      { runId: "r-2", startedAt: t(-1440), built: 6, unchanged: 34, failed: 2, wallMs: 12 * 60_000 },
    ],
  };
}
