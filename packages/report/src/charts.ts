import * as echarts from "echarts";
import type { ReportData, ReportPartition } from "./types.js";

/** Partitions drawn on the timeline at most; past it the longest ones are shown (stragglers are what matter). */
export const TIMELINE_MAX_PARTITIONS = 150;
const COLORS = {
  ok: "#2e7d32",
  failed: "#c62828",
  timedOut: "#ef6c00",
  unchanged: "#78909c",
  bar: "#1565c0",
  retry: "#00897b",
  retryFailed: "#8e24aa",
  offset: "transparent",
};

/** Render an ECharts option to an SVG string (server-side, no DOM), scaled to its container's width. */
export function renderSvg(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: "sans-serif" }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  // Fixed width/height -> a viewBox, so the chart shrinks with a narrow window instead of overflowing.
  return svg.replace(
    /^<svg([^>]*?) width="(\d+)" height="(\d+)"/,
    '<svg$1 viewBox="0 0 $2 $3" preserveAspectRatio="xMinYMin meet" role="img"',
  );
}

const minutes = (msValue: number) => Math.round((msValue / 60_000) * 10) / 10;

/** The timeline's unit, chosen from the run's span: seconds up to 2 minutes, minutes up to 2 hours, hours past that. */
export function timelineUnit(spanMs: number): { name: "seconds" | "minutes" | "hours"; ms: number } {
  if (spanMs < 120_000) return { name: "seconds", ms: 1000 };
  if (spanMs < 7_200_000) return { name: "minutes", ms: 60_000 };
  return { name: "hours", ms: 3_600_000 };
}

interface TimelineRow {
  label: string;
  offsetMs: number;
  lengthMs: number;
  repos: number;
  failed: boolean;
  retry: boolean;
}

function timelineRows(partitions: readonly ReportPartition[]): TimelineRow[] {
  const ran = partitions.filter((p) => p.startedAt && p.finishedAt);
  if (ran.length === 0) return [];
  const t0 = Math.min(...ran.map((p) => Date.parse(p.startedAt!)));
  let rows = [...ran]
    .sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0) || a.partition - b.partition)
    .map((p) => ({
      label: p.attempt ? `retry ${p.attempt} · p${p.partition}` : `p${p.partition}`,
      offsetMs: Date.parse(p.startedAt!) - t0,
      lengthMs: Math.max(0, Date.parse(p.finishedAt!) - Date.parse(p.startedAt!)),
      repos: p.repos,
      failed: (p.failed ?? 0) > 0,
      retry: (p.attempt ?? 0) > 0,
    }));
  if (rows.length > TIMELINE_MAX_PARTITIONS)
    rows = [...rows].sort((a, b) => b.offsetMs + b.lengthMs - (a.offsetMs + a.lengthMs)).slice(0, TIMELINE_MAX_PARTITIONS);
  return rows;
}

/** The timeline's bar series: one per kind of partition (first run or retry, ok or with failures), for the legend. */
const TIMELINE_SERIES = [
  { name: "ok", color: COLORS.bar, retry: false, failed: false },
  { name: "with failures", color: COLORS.failed, retry: false, failed: true },
  { name: "retry: ok", color: COLORS.retry, retry: true, failed: false },
  { name: "retry: with failures", color: COLORS.retryFailed, retry: true, failed: true },
] as const;

/** An axis label: the value with at most two decimals (only labels are rounded, never the bars). */
const axisLabel = (value: number) => String(Math.round(value * 100) / 100);

/**
 * The ECharts option of the timeline: each partition's bar from its start to its finish, exact, in the unit the
 * run's span calls for; failed partitions (any repository failed or timed out) in the failed colour, retries
 * apart, with a legend. Undefined when no partition ran.
 */
export function timelineOption(data: ReportData): echarts.EChartsOption | undefined {
  const rows = timelineRows(data.partitions);
  if (rows.length === 0) return undefined;
  const unit = timelineUnit(Math.max(...rows.map((r) => r.offsetMs + r.lengthMs)));
  const most = Math.max(...rows.map((r) => r.repos), 1);
  const kinds = TIMELINE_SERIES.filter((k) => !k.retry || rows.some((r) => r.retry));
  const repos = (n: number) => `${n} ${n === 1 ? "repo" : "repos"}`;
  return {
    legend: { top: 0, data: kinds.map((k) => k.name) },
    grid: { left: rows.some((r) => r.retry) ? 110 : 60, right: 80, top: 40, bottom: 40 },
    xAxis: { type: "value", name: unit.name, nameLocation: "middle", nameGap: 25, min: 0, axisLabel: { formatter: axisLabel } },
    yAxis: { type: "category", data: rows.map((r) => r.label), inverse: true },
    series: [
      { type: "bar", stack: "t", data: rows.map((r) => r.offsetMs / unit.ms), itemStyle: { color: COLORS.offset }, silent: true },
      ...kinds.map((k) => ({
        type: "bar" as const,
        stack: "t",
        name: k.name,
        barMinHeight: 2,
        itemStyle: { color: k.color },
        data: rows.map((r) =>
          r.retry === k.retry && r.failed === k.failed
            ? { value: r.lengthMs / unit.ms, itemStyle: { color: k.color, opacity: 0.35 + 0.65 * (r.repos / most) } }
            : null,
        ),
        label: {
          show: rows.length <= 40,
          position: "right" as const,
          formatter: (p: { dataIndex: number }) => repos(rows[p.dataIndex]!.repos),
        },
      })),
    ],
  };
}

/** When each partition ran and for how long (from the first start); darker bars held more repositories. */
export function timelineChart(data: ReportData): string | undefined {
  const option = timelineOption(data);
  if (!option) return undefined;
  const rows = (option.yAxis as { data: string[] }).data.length;
  return renderSvg(option, 800, Math.min(4000, 80 + rows * 18));
}

/** How long builds took: a histogram of build durations in minutes (in seconds when every build took under 2 min). */
export function durationChart(data: ReportData): string | undefined {
  if (data.buildDurations.length === 0) return undefined;
  const inSeconds = Math.max(...data.buildDurations) < 120_000;
  const unit = inSeconds ? "seconds" : "minutes";
  const values = data.buildDurations.map((v) => v / (inSeconds ? 1000 : 60_000));
  const max = Math.max(...values, 0.1);
  const bins = Math.min(20, Math.max(5, Math.ceil(Math.sqrt(values.length))));
  const width = max / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor(v / width))]!++;
  const digits = width >= 10 ? 0 : 1;
  const labels = counts.map((_, i) => `${(i * width).toFixed(digits)}–${((i + 1) * width).toFixed(digits)}`);
  return renderSvg(
    {
      grid: { left: 50, right: 20, top: 20, bottom: 70 },
      xAxis: { type: "category", data: labels, name: `build ${unit}`, nameLocation: "middle", nameGap: 55, axisLabel: { rotate: 40 } },
      yAxis: { type: "value", name: "repositories", minInterval: 1 },
      series: [{ type: "bar", name: "repositories", data: counts, itemStyle: { color: COLORS.bar } }],
    },
    800,
    300,
  );
}

/** Repositories built vs unchanged and failures over the last runs, and each run's wall time. */
export function trendCharts(data: ReportData): { counts: string; wall: string } | undefined {
  if (data.trends.length === 0) return undefined;
  const labels = data.trends.map((t) => t.startedAt.slice(0, 16).replace("T", " "));
  const counts = renderSvg(
    {
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 60 },
      xAxis: { type: "category", data: labels, axisLabel: { rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { type: "line", name: "built", data: data.trends.map((t) => t.built), itemStyle: { color: COLORS.bar } },
        { type: "line", name: "unchanged", data: data.trends.map((t) => t.unchanged), itemStyle: { color: COLORS.unchanged } },
        { type: "line", name: "failed", data: data.trends.map((t) => t.failed), itemStyle: { color: COLORS.failed } },
      ],
    },
    800,
    280,
  );
  const wall = renderSvg(
    {
      grid: { left: 50, right: 20, top: 30, bottom: 60 },
      xAxis: { type: "category", data: labels, axisLabel: { rotate: 30 } },
      yAxis: { type: "value", name: "wall minutes" },
      series: [{ type: "bar", name: "wall time", data: data.trends.map((t) => minutes(t.wallMs)), itemStyle: { color: COLORS.ok } }],
    },
    800,
    240,
  );
  return { counts, wall };
}
