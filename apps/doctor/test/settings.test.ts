import { describe, expect, it } from "vitest";
import { doctorSettings } from "../src/settings.js";

const flags = { json: false, allowFileUrls: false };

describe("doctorSettings", () => {
  it("turns flags and environment into the library's settings and options", () => {
    const env = { DATA_DIR: "/data" };
    const app = doctorSettings(
      "repos.csv",
      { ...flags, json: true, state: "s3://b/state", jdkRoot: ["/jdks"], diskWarnGib: 1.5, only: ["csv"], timeout: 2 },
      env,
    );
    expect(app).toEqual({
      settings: {
        env,
        csv: "repos.csv",
        stateUrl: "s3://b/state",
        jdkRoots: ["/jdks"],
        thresholds: { diskWarnBytes: 1.5 * 1024 ** 3 },
        allowFileUrls: false,
      },
      options: { only: ["csv"], checkTimeoutMs: 2000 },
      json: true,
    });
  });

  it("refuses a fail threshold above the warn threshold (exit 2)", () => {
    expect(() => doctorSettings(undefined, { ...flags, memoryWarnGib: 4, memoryFailGib: 8 }, {})).toThrow(
      expect.objectContaining({ code: "INVALID_SETTING", exitCode: 2, message: "--memory-fail-gib must not be above --memory-warn-gib" }),
    );
  });
});
