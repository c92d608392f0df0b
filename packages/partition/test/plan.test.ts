import fc from "fast-check";
import { resolveProcessorRange } from "@mass-ingest/contract";
import { describe, expect, it } from "vitest";
import { arrayIndexForRow, planByCount, planBySize, rangeForArrayIndex, type RangePartition } from "../src/index.js";

/** Every row 1..rowCount in exactly one partition, partitions contiguous and in order, none empty. */
function expectCover(rowCount: number, partitions: RangePartition[]): void {
  let next = 1;
  partitions.forEach((p, i) => {
    expect(p.partition).toBe(i + 1);
    expect(p.start).toBe(next);
    expect(p.end).toBeGreaterThanOrEqual(p.start);
    next = p.end + 1;
  });
  expect(next - 1).toBe(rowCount);
}

describe("planBySize", () => {
  it("matches the worker's --start/--end meaning (1-based, inclusive)", () => {
    expect(planBySize(120, 50)).toEqual({
      rowCount: 120,
      partitionSize: 50,
      partitions: [
        { partition: 1, start: 1, end: 50 },
        { partition: 2, start: 51, end: 100 },
        { partition: 3, start: 101, end: 120 },
      ],
    });
    expect(planBySize(100).partitions).toHaveLength(2);
    expect(planBySize(0).partitions).toEqual([]);
  });

  it("properties: exact cover, none empty, none over size, all full but the last, deterministic", () => {
    fc.assert(
      fc.property(fc.nat({ max: 5000 }), fc.integer({ min: 1, max: 200 }), (rows, size) => {
        const plan = planBySize(rows, size);
        expectCover(rows, plan.partitions);
        plan.partitions.forEach((p, i) => {
          const len = p.end - p.start + 1;
          expect(len).toBeLessThanOrEqual(size);
          if (i < plan.partitions.length - 1) expect(len).toBe(size);
        });
        expect(planBySize(rows, size)).toEqual(plan);
      }),
    );
  });

  it("rejects nonsense arguments with a typed error", () => {
    expect(() => planBySize(10, 0)).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => planBySize(-1)).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => planBySize(10, 2.5)).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe("planByCount", () => {
  it("properties: exact cover, none empty, sizes differ by at most one, at most count partitions", () => {
    fc.assert(
      fc.property(fc.nat({ max: 5000 }), fc.integer({ min: 1, max: 300 }), (rows, count) => {
        const plan = planByCount(rows, count);
        expectCover(rows, plan.partitions);
        expect(plan.partitions.length).toBe(Math.min(rows, count));
        const sizes = plan.partitions.map((p) => p.end - p.start + 1);
        if (sizes.length > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(planByCount(rows, count)).toEqual(plan);
      }),
    );
  });
});

describe("array index <-> range", () => {
  it("round-trips with planBySize", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 120 }), (rows, size) => {
        const plan = planBySize(rows, size);
        plan.partitions.forEach((p, index) => {
          expect(rangeForArrayIndex(index, size, rows)).toEqual(p);
          expect(arrayIndexForRow(p.start, size)).toBe(index);
          expect(arrayIndexForRow(p.end, size)).toBe(index);
        });
        expect(() => rangeForArrayIndex(plan.partitions.length, size, rows)).toThrowError(/only \d+ rows/);
      }),
    );
  });

  it("index 0 is rows 1..size", () => {
    expect(rangeForArrayIndex(0, 50, 1000)).toEqual({ partition: 1, start: 1, end: 50 });
    expect(rangeForArrayIndex(19, 50, 990)).toEqual({ partition: 20, start: 951, end: 990 });
    expect(arrayIndexForRow(51, 50)).toBe(1);
  });
});

describe("the contract's job parameters", () => {
  it("resolveProcessorRange agrees with planBySize for every array index", () => {
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
