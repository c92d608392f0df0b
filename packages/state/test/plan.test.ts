import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DEFAULT_TIME_BUDGET_MS, TIME_BUDGET_SHARE } from "../src/constants.js";
import { StateError } from "../src/errors.js";
import { predictMakespan } from "../src/makespan.js";
import { planByTime, type PlanItem } from "../src/plan.js";

const items = (ms: number[]): PlanItem[] => ms.map((predictedMs, i) => ({ row: i + 1, key: `k${i + 1}`, predictedMs }));

describe("planByTime", () => {
  test("the default budget is a share of the processor job timeout", () => {
    expect(DEFAULT_TIME_BUDGET_MS).toBe(3600 * 1000 * TIME_BUDGET_SHARE);
  });

  test("as many partitions as the budget needs, balanced, longest first", () => {
    const plan = planByTime(items([50, 40, 30, 30, 20, 20, 10]), { timeBudgetMs: 70, maxPartitionSize: 10 });
    expect(plan.partitions.map((p) => p.predictedMs)).toEqual([70, 70, 60]);
    expect(plan.predictedMakespanMs).toBe(70);
    expect(plan.warnings).toEqual([]);
    expect(plan.partitions.flatMap((p) => p.rows.map((r) => r.row)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const p of plan.partitions) expect(p.rows.map((r) => r.row)).toEqual(p.rows.map((r) => r.row).sort((a, b) => a - b));
  });

  test("the size cap holds even when the budget alone would allow one partition", () => {
    const plan = planByTime(items(new Array(10).fill(1)), { timeBudgetMs: 1000, maxPartitionSize: 3 });
    expect(plan.partitions.map((p) => p.rows.length)).toEqual([3, 3, 2, 2]);
  });

  test("a repository over the budget gets a partition of its own and a warning naming it", () => {
    const plan = planByTime(items([10, 500, 10]), { timeBudgetMs: 100, maxPartitionSize: 50 });
    expect(plan.partitions[0]).toEqual({ partition: 1, predictedMs: 500, rows: [{ row: 2, key: "k2", predictedMs: 500 }] });
    expect(plan.partitions).toHaveLength(2);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatch(/Row 2 \(k2\).*over the time budget/);
  });

  test("parallelism: a multiple of the workers, the last round cut small, budget and cap still hold", () => {
    const ms = Array.from({ length: 400 }, (_, i) => 10 + (i % 7));
    const plain = planByTime(items(ms), { timeBudgetMs: 200, maxPartitionSize: 30 });
    const shaped = planByTime(items(ms), { timeBudgetMs: 200, maxPartitionSize: 30, parallelism: 8 });
    expect(plain.partitions.length % 8).not.toBe(0);
    const rounded = Math.ceil(plain.partitions.length / 8) * 8;
    expect(shaped.partitions).toHaveLength(rounded - 8 + 8 * 4);
    expect(shaped.partitions.flatMap((p) => p.rows.map((r) => r.row)).sort((a, b) => a - b)).toEqual(ms.map((_, i) => i + 1));
    for (const p of shaped.partitions) expect(p.predictedMs).toBeLessThanOrEqual(200);
    const last = shaped.partitions.slice(-32).map((p) => p.predictedMs);
    expect(Math.max(...last)).toBeLessThan(Math.min(...shaped.partitions.slice(0, rounded - 8).map((p) => p.predictedMs)));
    expect(() => planByTime(items([1]), { parallelism: 0 })).toThrow(StateError);
  });

  test("the predicted makespan is for the plan's parallelism: 80 min of work on 2 workers is at least 40", () => {
    const min = 60_000;
    const eight = items(new Array(8).fill(10 * min));
    // Batch (last round cut): 6 partitions of 1-2 repositories, but 2 workers still need 40 min, not 20
    const cut = planByTime(eight, { timeBudgetMs: 30 * min, maxPartitionSize: 50, parallelism: 2 });
    expect(cut.partitions.map((p) => p.rows.length)).toEqual([2, 2, 1, 1, 1, 1]);
    expect(cut.predictedMakespanMs).toBe(40 * min);
    expect(cut.parallelism).toBe(2);
    // local (whole partitions): the fewest within the budget, rounded up to a multiple of the workers
    const whole = planByTime(eight, { timeBudgetMs: 30 * min, maxPartitionSize: 50, parallelism: 2, cutLastRound: false });
    expect(whole.partitions.map((p) => p.rows.length)).toEqual([2, 2, 2, 2]);
    expect(whole.predictedMakespanMs).toBe(40 * min);
    const roomy = planByTime(eight, { maxPartitionSize: 50, parallelism: 2, cutLastRound: false });
    expect(roomy.partitions.map((p) => p.rows.length)).toEqual([4, 4]);
    expect(roomy.predictedMakespanMs).toBe(40 * min);
    // without parallelism every partition runs at once: the longest one
    const all = planByTime(eight, { timeBudgetMs: 30 * min, maxPartitionSize: 50 });
    expect(all.predictedMakespanMs).toBe(Math.max(...all.partitions.map((p) => p.predictedMs)));
    expect(all).not.toHaveProperty("parallelism");
  });

  test("predictMakespan: list scheduling in plan order onto the first free worker", () => {
    expect(predictMakespan([])).toBe(0);
    expect(predictMakespan([30, 20, 10])).toBe(30);
    expect(predictMakespan([30, 20, 10], 3)).toBe(30);
    expect(predictMakespan([30, 20, 10], 2)).toBe(30); // 30 | 20 then 10
    expect(predictMakespan([30, 30, 20], 2)).toBe(50);
    expect(predictMakespan([10, 10, 10, 10], 1)).toBe(40);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (ms, p) => {
        const got = predictMakespan(ms, p);
        const total = ms.reduce((s, x) => s + x, 0);
        // never below the lower bound, never above it by more than the longest partition (list scheduling)
        expect(got).toBeGreaterThanOrEqual(Math.max(0, ...ms, total / p) - 1e-9);
        expect(got).toBeLessThanOrEqual(total / p + Math.max(0, ...ms) + 1e-9);
      }),
    );
  });

  test("nothing to plan: no partitions", () => {
    expect(planByTime([], { timeBudgetMs: 10 })).toEqual({ partitions: [], predictedMakespanMs: 0, warnings: [] });
  });

  test("bad options are a StateError", () => {
    expect(() => planByTime(items([1]), { timeBudgetMs: 0 })).toThrow(StateError);
    expect(() => planByTime(items([1]), { maxPartitionSize: 0 })).toThrow(StateError);
  });

  test("property: every row once, budget and cap respected (oversize rows alone), partitions longest first", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
        (ms, budget, cap, parallelism) => {
          const plan = planByTime(items(ms), { timeBudgetMs: budget, maxPartitionSize: cap, ...(parallelism ? { parallelism } : {}) });
          const rows = plan.partitions.flatMap((p) => p.rows.map((r) => r.row)).sort((a, b) => a - b);
          expect(rows).toEqual(ms.map((_, i) => i + 1));
          for (const p of plan.partitions) {
            expect(p.rows.length).toBeLessThanOrEqual(cap);
            expect(p.rows.length).toBeGreaterThan(0);
            if (p.predictedMs > budget) expect(p.rows).toHaveLength(1);
          }
          expect(plan.warnings).toHaveLength(ms.filter((m) => m > budget).length);
          const loads = plan.partitions.map((p) => p.predictedMs);
          expect(loads).toEqual(loads.slice().sort((a, b) => b - a));
          const within = ms.filter((m) => m <= budget);
          const lower = Math.max(Math.ceil(within.reduce((a, b) => a + b, 0) / budget), Math.ceil(within.length / cap));
          if (!parallelism) expect(plan.partitions.length - (ms.length - within.length)).toBeGreaterThanOrEqual(within.length ? lower : 0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
