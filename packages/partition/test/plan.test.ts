import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrayIndexForRow, planByCount, planBySize, planWeighted, rangeForArrayIndex, type RangePartition } from "../src/index.js";

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

/** Exact optimum by brute force (small inputs only). */
function optimalMakespan(weights: number[], m: number): number {
  let best = Number.POSITIVE_INFINITY;
  const loads = new Array<number>(m).fill(0);
  const sorted = [...weights].sort((a, b) => b - a);
  const go = (i: number): void => {
    const current = Math.max(...loads);
    if (current >= best) return;
    if (i === sorted.length) {
      best = current;
      return;
    }
    const tried = new Set<number>();
    for (let k = 0; k < m; k++) {
      if (tried.has(loads[k] as number)) continue; // symmetric machines
      tried.add(loads[k] as number);
      loads[k] = (loads[k] as number) + (sorted[i] as number);
      go(i + 1);
      loads[k] = (loads[k] as number) - (sorted[i] as number);
    }
  };
  go(0);
  return best;
}

describe("planWeighted", () => {
  const weightsArb = (max: number) =>
    fc
      .array(fc.integer({ min: 0, max: 1000 }), { minLength: 0, maxLength: max })
      .map((ws) => ws.map((weight, i) => ({ row: i + 1, weight })));

  it("properties: every row in exactly one partition, none empty, deterministic, makespan >= lower bound", () => {
    fc.assert(
      fc.property(weightsArb(300), fc.integer({ min: 1, max: 40 }), (weights, count) => {
        const plan = planWeighted(weights, count);
        const all = plan.partitions.flatMap((p) => p.rows).sort((a, b) => a - b);
        expect(all).toEqual(weights.map((w) => w.row));
        expect(plan.partitions.length).toBe(Math.min(count, weights.length));
        for (const p of plan.partitions) {
          expect(p.rows.length).toBeGreaterThan(0);
          expect(p.rows).toEqual([...p.rows].sort((a, b) => a - b));
          expect(p.weight).toBe(p.rows.reduce((s, r) => s + (weights[r - 1]?.weight ?? 0), 0));
        }
        expect(plan.makespan).toBe(Math.max(0, ...plan.partitions.map((p) => p.weight)));
        expect(plan.makespan).toBeGreaterThanOrEqual(plan.lowerBound - 1e-9);
        // list scheduling bound, holds for any input: makespan <= total/N + max weight <= 2 x lower bound
        expect(plan.makespan).toBeLessThanOrEqual(2 * plan.lowerBound + 1e-9);
        expect(planWeighted([...weights].reverse(), count)).toEqual(plan);
      }),
      { numRuns: 500 },
    );
  });

  it("property: LPT stays within 4/3 of the optimal makespan (exact optimum by brute force)", () => {
    fc.assert(
      fc.property(weightsArb(9), fc.integer({ min: 1, max: 4 }), (weights, count) => {
        const plan = planWeighted(weights, count);
        const n = Math.min(count, weights.length);
        if (n === 0) return;
        const opt = optimalMakespan(
          weights.map((w) => w.weight),
          n,
        );
        expect(plan.makespan).toBeLessThanOrEqual((4 / 3) * opt + 1e-9);
        expect(opt).toBeGreaterThanOrEqual(plan.lowerBound - 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it("many similar weights land close to the lower bound", () => {
    const weights = Array.from({ length: 10_000 }, (_, i) => ({ row: i + 1, weight: 60 + ((i * 7919) % 600) }));
    const plan = planWeighted(weights, 100);
    expect(plan.makespan).toBeLessThanOrEqual(plan.lowerBound * (4 / 3));
    expect(plan.makespan / plan.lowerBound).toBeLessThan(1.05);
  });

  it("zero weights still fill every partition", () => {
    const plan = planWeighted(
      [1, 2, 3, 4, 5].map((row) => ({ row, weight: 0 })),
      3,
    );
    expect(plan.partitions.map((p) => p.rows)).toEqual([[1, 4], [2, 5], [3]]);
  });

  it("the classic LPT example", () => {
    const plan = planWeighted(
      [5, 3, 3, 1].map((weight, i) => ({ row: i + 1, weight })),
      2,
    );
    expect(plan.partitions).toEqual([
      { partition: 1, rows: [1, 4], weight: 6 },
      { partition: 2, rows: [2, 3], weight: 6 },
    ]);
    expect(plan).toMatchObject({ makespan: 6, lowerBound: 6 });
  });

  it("rejects duplicate rows, negative or non-finite weights", () => {
    expect(() =>
      planWeighted(
        [
          { row: 1, weight: 1 },
          { row: 1, weight: 2 },
        ],
        2,
      ),
    ).toThrowError(/listed twice/);
    expect(() => planWeighted([{ row: 1, weight: -1 }], 2)).toThrowError(/weights must be finite/);
    expect(() => planWeighted([{ row: 1, weight: Number.NaN }], 2)).toThrowError(/weights must be finite/);
  });
});
