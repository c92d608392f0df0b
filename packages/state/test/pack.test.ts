import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packInto, type PlanItem } from "../src/plan.js";

/**
 * The LPT packing planByTime uses, as a fixed-count plan: items longest first (ties by row), into
 * min(count, items) partitions without a size cap; rows ascending per partition.
 */
function planWeighted(weights: ReadonlyArray<{ row: number; weight: number }>, count: number) {
  const items: PlanItem[] = weights
    .map((w) => ({ row: w.row, key: `k${w.row}`, predictedMs: w.weight }))
    .sort((a, b) => b.predictedMs - a.predictedMs || a.row - b.row);
  const n = Math.min(count, items.length);
  const { loads, bins } = packInto(items, n, Number.POSITIVE_INFINITY);
  const partitions = bins.map((bin, i) => ({
    partition: i + 1,
    rows: bin.map((b) => b.row).sort((a, b) => a - b),
    weight: loads[i] as number,
  }));
  const total = items.reduce((s, i) => s + i.predictedMs, 0);
  const maxWeight = Math.max(0, ...items.map((i) => i.predictedMs));
  return { partitions, makespan: Math.max(0, ...loads), lowerBound: n === 0 ? 0 : Math.max(maxWeight, total / n) };
}

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

describe("packInto: longest first onto the least loaded partition (LPT)", () => {
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
});
