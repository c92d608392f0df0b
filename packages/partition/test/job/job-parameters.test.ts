import { PROCESSOR_PARAMETERS } from "@mass-ingest/contract";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PartitionError, buildProcessorParameters, parsePartitions, partitionRange, planBySize } from "../../src/index.js";
import { formatPartitions, resolveProcessorRange } from "../../src/job/job-parameters.js";

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
    for (const bad of ["0", "3,x", "5-2", "-1", "1,,2"]) expect(() => parsePartitions(bad)).toThrow(PartitionError);
  });
});

describe("resolveProcessorRange", () => {
  const p = { start: 0, end: 0, partitions: "all" as const, partitionSize: 50, rowCount: 230 };

  it("maps array index to partition and rows, for 'all' and for a retry list", () => {
    expect(resolveProcessorRange(p, 0)).toEqual({ partition: 1, start: 1, end: 50 });
    expect(resolveProcessorRange(p, 4)).toEqual({ partition: 5, start: 201, end: 230 });
    expect(resolveProcessorRange({ ...p, partitions: [2, 5] }, 1)).toEqual({ partition: 5, start: 201, end: 230 });
    expect(() => resolveProcessorRange(p, 5)).toThrow(/after the last row/);
    expect(() => resolveProcessorRange({ ...p, partitions: [2, 5] }, 2)).toThrow(PartitionError);
  });

  it("uses start/end of a plain job, a single listed partition, or all rows", () => {
    expect(resolveProcessorRange({ ...p, start: 51, end: 100, partitions: [2] })).toEqual({ partition: 2, start: 51, end: 100 });
    expect(resolveProcessorRange({ ...p, start: 7, end: 9 })).toEqual({ start: 7, end: 9 });
    expect(resolveProcessorRange({ ...p, partitions: [3] })).toEqual({ partition: 3, start: 101, end: 150 });
    expect(resolveProcessorRange(p)).toBe("all");
  });

  it("agrees with the plan for every array index", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 200 }), (rows, size) => {
        const plan = planBySize(rows, size);
        plan.partitions.forEach((part, i) => {
          expect(resolveProcessorRange({ start: 0, end: 0, partitions: "all", partitionSize: size, rowCount: rows }, i)).toEqual(part);
        });
      }),
    );
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
