/**
 * report.json as published: version 1 named the timed-out outcome `timeout` and the not-started one
 * `not-reached` (totals `timeout`, `notReached`), and its fields only grow within a version. The report works
 * in the contract's spelling; this is the one place the published spelling is made from it.
 */
import type { ReportData, ReportOutcome, ReportTotals } from "./types.js";

const PUBLISHED_OUTCOME = {
  ok: "ok",
  failed: "failed",
  "timed-out": "timeout",
  unchanged: "unchanged",
  "not-started": "not-reached",
} as const satisfies Record<ReportOutcome, string>;

/** The run's totals as report.json spells them (the chunker's `report --json` prints these too). */
export function publishedTotals(t: ReportTotals) {
  return { repos: t.repos, ok: t.ok, failed: t.failed, timeout: t.timedOut, unchanged: t.unchanged, notReached: t.notStarted };
}

const withOutcome = <T extends { outcome: ReportOutcome }>(r: T) => ({ ...r, outcome: PUBLISHED_OUTCOME[r.outcome] });

/** report.json's text for the data (published spellings, 2-space indent, a final newline). */
export function reportJson(data: ReportData): string {
  const published = {
    ...data,
    totals: publishedTotals(data.totals),
    slowest: data.slowest.map(withOutcome),
    failures: data.failures.map((g) => ({ ...g, repos: g.repos.map(withOutcome) })),
  };
  return `${JSON.stringify(published, null, 2)}\n`;
}
