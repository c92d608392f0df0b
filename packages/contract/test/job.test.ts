import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ARRAY_INDEX_ENV,
  arrayIndexFromEnv,
  buildProcessorParameters,
  formatPartitions,
  JobParameterError,
  parsePartitions,
  partitionOfArrayIndex,
  partitionRange,
  PROCESSOR_PARAMETERS,
  resolveProcessorRange,
} from "../src/index.js";

describe("partitions parameter", () => {
  it("formats runs compactly and parses back", () => {
    expect(formatPartitions([3, 7, 10, 11, 12, 15, 16])).toBe("3,7,10-12,15,16");
    expect(parsePartitions("3,7,10-12,15,16")).toEqual([3, 7, 10, 11, 12, 15, 16]);
    expect(parsePartitions("all")).toBe("all");
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 60 }), (xs) => {
        expect(parsePartitions(formatPartitions(xs))).toEqual(xs);
      }),
    );
  });

  it("rejects garbage with INVALID_PARTITIONS", () => {
    for (const bad of ["0", "3,x", "5-2", "-1", "1,,2"]) expect(() => parsePartitions(bad)).toThrow(JobParameterError);
  });
});

describe("partitionOfArrayIndex", () => {
  it("child i runs partition i + 1 for 'all', else the i-th listed; a plain job (0) the first", () => {
    expect(partitionOfArrayIndex("all", 0)).toBe(1);
    expect(partitionOfArrayIndex("all", 9)).toBe(10);
    expect(partitionOfArrayIndex([3, 7, 12], 0)).toBe(3);
    expect(partitionOfArrayIndex([3, 7, 12], 2)).toBe(12);
    expect(() => partitionOfArrayIndex([3, 7, 12], 3)).toThrow(/Array index 3 is outside --partitions \(3 partitions listed\)/);
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => partitionOfArrayIndex("all", bad)).toThrow(expect.objectContaining({ code: "INVALID_ARRAY_INDEX", exitCode: 2 }));
    }
  });
});

describe("resolveProcessorRange", () => {
  const p = { start: 0, end: 0, partitions: "all" as const, partitionSize: 50, rowCount: 230 };

  it("maps array index to partition and rows, for 'all' and for a retry list", () => {
    expect(resolveProcessorRange(p, 0)).toEqual({ partition: 1, start: 1, end: 50 });
    expect(resolveProcessorRange(p, 4)).toEqual({ partition: 5, start: 201, end: 230 });
    expect(resolveProcessorRange({ ...p, partitions: [2, 5] }, 1)).toEqual({ partition: 5, start: 201, end: 230 });
    expect(() => resolveProcessorRange(p, 5)).toThrow(/after the last row/);
    expect(() => resolveProcessorRange({ ...p, partitions: [2, 5] }, 2)).toThrow(JobParameterError);
  });

  it("uses start/end of a plain job, a single listed partition, or all rows", () => {
    expect(resolveProcessorRange({ ...p, start: 51, end: 100, partitions: [2] })).toEqual({ partition: 2, start: 51, end: 100 });
    expect(resolveProcessorRange({ ...p, start: 7, end: 9 })).toEqual({ start: 7, end: 9 });
    expect(resolveProcessorRange({ ...p, partitions: [3] })).toEqual({ partition: 3, start: 101, end: 150 });
    expect(resolveProcessorRange(p)).toBe("all");
  });
});

describe("buildProcessorParameters", () => {
  it("turns every value into a string, keyed by the contract's parameter names", () => {
    const parameters = buildProcessorParameters({ csv: "x", partitionSize: 5, rowCount: 9, runId: "r", partitions: [1, 2, 3] });
    expect(parameters).toEqual({
      csv: "x",
      partitionSize: "5",
      rowCount: "9",
      runId: "r",
      start: "0",
      end: "0",
      partitions: "1-3",
      plan: "none",
    });
    expect(Object.keys(parameters).sort()).toEqual(Object.values(PROCESSOR_PARAMETERS).sort());
    const planned = buildProcessorParameters({
      csv: "x",
      partitionSize: 5,
      rowCount: 9,
      runId: "r",
      plan: "s3://state/runs/r/manifest.json",
    });
    expect(planned.plan).toBe("s3://state/runs/r/manifest.json");
  });
});

describe("partitionRange", () => {
  it("rows of partition n: from the plan when the row count is known, full size otherwise", () => {
    expect(partitionRange(3, 50, 120)).toEqual({ start: 101, end: 120 });
    expect(partitionRange(3, 50, 0)).toEqual({ start: 101, end: 150 });
  });
});

describe("arrayIndexFromEnv", () => {
  it("reads AWS_BATCH_JOB_ARRAY_INDEX; unset or blank = not an array child", () => {
    expect(arrayIndexFromEnv({})).toBeUndefined();
    expect(arrayIndexFromEnv({ [ARRAY_INDEX_ENV]: "" })).toBeUndefined();
    expect(arrayIndexFromEnv({ [ARRAY_INDEX_ENV]: "  " })).toBeUndefined();
    expect(arrayIndexFromEnv({ [ARRAY_INDEX_ENV]: "12" })).toBe(12);
    // not a number: left to resolveProcessorRange to reject
    expect(arrayIndexFromEnv({ [ARRAY_INDEX_ENV]: "x" })).toBeNaN();
  });
});
