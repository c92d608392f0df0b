import { describe, expect, it } from "vitest";

describe("@mass-ingest/doctor exports", () => {
  it("lists its runtime exports by name", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "CHECK_IDS",
      "DEFAULT_THRESHOLDS",
      "formatReport",
      "formatReportJson",
      "runDoctor",
    ]);
  });
});
