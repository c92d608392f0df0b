import { expect, it } from "vitest";

it("exports exactly these names", async () => {
  expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
    "DEFAULT_TREND_RUNS",
    "buildReportData",
    "publishedTotals",
    "renderReportHtml",
    "reportInputFromRecords",
    "trendPointOf",
    "writeReport",
    "writeRunReport",
  ]);
});
