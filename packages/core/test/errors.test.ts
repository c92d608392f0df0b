import { describe, expect, it } from "vitest";
import { describeError, exitCodeOf, MassIngestError } from "../src/index.js";

class ToolError extends MassIngestError {
  override name = "ToolError";
  constructor(code: string, message: string) {
    super(code, message, { hint: "do this", exitCode: code === "BROKEN" ? 1 : 2 });
  }
}

describe("MassIngestError", () => {
  it("carries code, hint, cause and an exit code (2 unless the work itself failed)", () => {
    const cause = new Error("inner");
    const e = new MassIngestError("CSV_NOT_FOUND", "no csv at x.csv", { hint: "pass a path", cause });
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.message, e.hint, e.cause, e.exitCode, e.name]).toEqual([
      "CSV_NOT_FOUND",
      "no csv at x.csv",
      "pass a path",
      cause,
      2,
      "MassIngestError",
    ]);
    expect(new MassIngestError("UPLOAD_FAILED", "x", { exitCode: 1 }).exitCode).toBe(1);
    expect(new MassIngestError("X", "y").hint).toBeUndefined();
  });

  it("subclasses map to exit codes by type, not by name", () => {
    expect(exitCodeOf(new ToolError("BAD", "m"))).toBe(2);
    expect(exitCodeOf(new ToolError("BROKEN", "m"))).toBe(1);
    const impostor = Object.assign(new Error("m"), { name: "PartitionError", exitCode: 2 });
    expect(exitCodeOf(impostor)).toBe(1);
    expect(exitCodeOf("a string")).toBe(1);
  });

  it("describeError reads any thrown value", () => {
    expect(describeError(new ToolError("BAD", "m"))).toEqual({ code: "BAD", message: "m", hint: "do this" });
    expect(describeError("plain")).toEqual({ message: "plain" });
    expect(describeError(undefined)).toEqual({ message: "undefined" });
  });
});
