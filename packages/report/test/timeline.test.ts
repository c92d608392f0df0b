import { describe, expect, it } from "vitest";
import { buildReportData, type ReportData, type ReportPartition } from "../src/index.js";
import { timelineChart, timelineOption, timelineUnit } from "../src/charts.js";
import { sampleRun } from "./fixture.js";

const t0 = Date.UTC(2026, 10, 30, 1, 0, 0);
const iso = (ms: number) => new Date(t0 + ms).toISOString();
const part = (partition: number, fromMs: number, toMs: number, extra: Partial<ReportPartition> = {}): ReportPartition => ({
  partition,
  startedAt: iso(fromMs),
  finishedAt: iso(toMs),
  repos: 1,
  ...extra,
});
const withPartitions = (partitions: ReportPartition[]): ReportData => ({ ...buildReportData(sampleRun()), partitions });

type Bar = { value: number; itemStyle: { color: string } } | null;
type Series = { name?: string; data: (number | Bar)[]; itemStyle: { color: string } };
const seriesOf = (data: ReportData) => timelineOption(data)!.series as Series[];
/** Row i's bar: the series that draws it, and its value (the transparent offset series excluded). */
function bar(data: ReportData, i: number): { name: string; value: number; color: string } {
  const drawn = seriesOf(data)
    .slice(1)
    .filter((s) => s.data[i] !== null);
  expect(drawn).toHaveLength(1);
  const b = drawn[0]!.data[i] as Exclude<Bar, null>;
  return { name: drawn[0]!.name!, value: b.value, color: b.itemStyle.color };
}

describe("the partitions timeline", () => {
  it("draws a partition of 3 s with its exact length and start, unrounded", () => {
    const data = withPartitions([part(1, 0, 40 * 60_000), part(2, 61_000, 64_000)]);
    const option = timelineOption(data)!;
    expect((option.xAxis as { name: string }).name).toBe("minutes");
    expect(bar(data, 1).value).toBe(3_000 / 60_000);
    expect(seriesOf(data)[0]!.data[1]).toBe(61_000 / 60_000);
    expect(bar(data, 0).value).toBe(40);
    const short = withPartitions([part(1, 0, 50_000), part(2, 2_500, 5_500)]);
    expect((timelineOption(short)!.xAxis as { name: string }).name).toBe("seconds");
    expect(bar(short, 1).value).toBe(3);
    expect(seriesOf(short)[0]!.data[1]).toBe(2.5);
  });

  it("scales the axis to the run's span: seconds, minutes or hours", () => {
    expect(timelineUnit(90_000).name).toBe("seconds");
    expect(timelineUnit(30 * 60_000).name).toBe("minutes");
    expect(timelineUnit(5 * 3_600_000).name).toBe("hours");
    const long = withPartitions([part(1, 0, 5 * 3_600_000), part(2, 3_600_000, 3_600_000 + 90 * 60_000)]);
    expect((timelineOption(long)!.xAxis as { name: string }).name).toBe("hours");
    expect(bar(long, 1).value).toBe(1.5);
    expect(timelineChart(long)).toContain(">hours<");
  });

  it("colours partitions with failures apart, with a legend naming both", () => {
    const data = buildReportData(sampleRun());
    const option = timelineOption(data)!;
    expect((option.legend as { data: string[] }).data).toEqual(["ok", "with failures"]);
    // p1 held the failed repo-3, p2 the failed repo-5 and the timed-out repo-6, p3 built ok.
    expect([0, 1, 2].map((i) => bar(data, i).name)).toEqual(["with failures", "with failures", "ok"]);
    expect(bar(data, 0).color).toBe("#c62828");
    expect(bar(data, 2).color).not.toBe(bar(data, 0).color);
    const svg = timelineChart(data)!;
    expect(svg).toContain(">with failures<");
    expect(svg).toContain(">ok<");
  });

  it("shows a night's retry partitions apart from the first run's", () => {
    const data = withPartitions([
      part(1, 0, 60_000, { failed: 1, repos: 3 }),
      part(2, 0, 50_000, { failed: 0, repos: 3 }),
      part(1, 120_000, 130_000, { attempt: 1, runId: "n-retry", failed: 0 }),
    ]);
    const option = timelineOption(data)!;
    expect((option.yAxis as { data: string[] }).data).toEqual(["p1", "p2", "retry 1 · p1"]);
    expect((option.legend as { data: string[] }).data).toEqual(["ok", "with failures", "retry: ok", "retry: with failures"]);
    expect([0, 1, 2].map((i) => bar(data, i).name)).toEqual(["with failures", "ok", "retry: ok"]);
    expect(bar(data, 2).value).toBe(10_000 / 60_000);
  });
});
