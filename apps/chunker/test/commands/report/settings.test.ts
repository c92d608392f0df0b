import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PROCESSOR_VCPUS, reportSettings } from "../../../src/commands/report/settings.js";

const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; hint?: string; exitCode: number };
  }
  throw new Error("expected an error");
};

describe("reportSettings: flags + environment -> one validated settings object", () => {
  it("defaults: the latest run, <DATA_DIR>/state, 14 runs of trends, 4 vCPUs, no price", () => {
    const s = reportSettings(undefined, {}, { DATA_DIR: "/data" }, "/work");
    expect(s).toEqual({
      runId: "latest",
      state: path.join("/data", "state"),
      trends: 14,
      vcpus: DEFAULT_PROCESSOR_VCPUS,
      freshnessTargetMs: 86_400_000,
      json: false,
    });
  });

  it("--state over STATE_URL; s3:// kept as given; the numbers parsed", () => {
    expect(reportSettings("r1", {}, { STATE_URL: "s3://b/p" }).state).toBe("s3://b/p");
    const s = reportSettings(
      "r1",
      { state: "rel/state", trends: "3", vcpus: "8", pricePerVcpuHour: "0.0464", out: "o", freshnessTarget: "2h", json: true },
      { STATE_URL: "s3://b/p" },
      "/w",
    );
    expect(s).toEqual({
      runId: "r1",
      state: "/w/rel/state",
      trends: 3,
      vcpus: 8,
      pricePerVcpuHour: 0.0464,
      out: "o",
      freshnessTargetMs: 7_200_000,
      json: true,
    });
  });

  it("refuses a bad run id, a bad price and bad counts, naming the setting (exit 2)", () => {
    expect(error(() => reportSettings("../x", {}, {}))).toMatchObject({ code: "INVALID_SETTING", exitCode: 2 });
    expect(error(() => reportSettings(undefined, { pricePerVcpuHour: "cheap" }, {})).message).toContain("--price-per-vcpu-hour");
    expect(error(() => reportSettings(undefined, { trends: "0" }, {})).message).toContain("--trends");
    expect(error(() => reportSettings(undefined, { vcpus: "x" }, {})).message).toContain("--vcpus");
    expect(error(() => reportSettings(undefined, { freshnessTarget: "soon" }, {})).message).toContain("--freshness-target");
  });
});
