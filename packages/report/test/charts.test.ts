import { describe, expect, it } from "vitest";
import { buildReportData } from "../src/index.js";
import { durationChart, timelineChart } from "../src/charts.js";
import { sampleRun } from "./fixture.js";

describe("charts", () => {
  it("build durations in minutes, or in seconds when every build took under 2 minutes", () => {
    const data = buildReportData(sampleRun());
    expect(durationChart(data)).toContain("build minutes");
    const quick = { ...data, buildDurations: [1_500, 3_000, 45_000] };
    const svg = durationChart(quick)!;
    expect(svg).toContain("build seconds");
    expect(svg).toContain("0.0–9.0");
    expect(durationChart({ ...data, buildDurations: [] })).toBeUndefined();
  });

  it("each partition's bar says how many repositories it held, in the singular for one", () => {
    const svg = timelineChart(buildReportData(sampleRun()))!;
    expect(svg).toContain(">4 repos<");
    expect(svg).toContain(">1 repo<");
  });
});
