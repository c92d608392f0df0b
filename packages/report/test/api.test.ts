import { expect, it } from "vitest";

it("exports exactly these names", async () => {
  expect(Object.keys(await import("../src/index.js")).sort()).toEqual(["buildReportData", "firstMeaningfulLine", "renderReportHtml", "writeReport"]);
});
