/**
 * Makespan of time-budgeted partitions (planByTime) against row-count partitions on the same heavy-tailed build
 * durations, with the same number of parallel workers that take partitions in order (the way AWS Batch starts
 * array children). Run: `npx tsx bench/plan-bench.ts [repos] [workers] [sigma]` (defaults 10000 200 1.0).
 */
import { DEFAULTS } from "@mass-ingest/contract";
import { DEFAULT_TIME_BUDGET_MS, planByTime, type PlanItem } from "../src/index.js";
import { rng } from "./rng.js";

const repos = Number(process.argv[2] ?? 10_000);
const workers = Number(process.argv[3] ?? 200);
const sigma = Number(process.argv[4] ?? 1.0);
const MEDIAN_MS = 3 * 60_000;
const SEEDS = [1, 2, 3, 4, 5];

function logNormal(random: () => number, median: number, s: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(s * z);
}

/** Workers take partitions in order, each the next free one; the makespan is when the last one finishes. */
function simulate(partitionTimes: readonly number[], count: number): number {
  const free = new Array<number>(count).fill(0);
  for (const t of partitionTimes) {
    let w = 0;
    for (let i = 1; i < count; i++) if ((free[i] as number) < (free[w] as number)) w = i;
    free[w] = (free[w] as number) + t;
  }
  return Math.max(...free);
}

const hours = (ms: number) => (ms / 3_600_000).toFixed(2);

function runSeed(seed: number) {
  const random = rng(seed);
  const actual = Array.from({ length: repos }, () => logNormal(random, MEDIAN_MS, sigma));
  // last night's duration as the prediction: tonight's differs by a log-normal factor (sigma 0.3)
  const predicted = actual.map((ms) => ms / Math.exp(0.3 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
  const total = actual.reduce((a, b) => a + b, 0);
  const lowerBound = Math.max(total / workers, Math.max(...actual));
  const size = DEFAULTS.partitionSize;
  const byRows: number[] = [];
  for (let i = 0; i < repos; i += size) byRows.push(actual.slice(i, i + size).reduce((a, b) => a + b, 0));
  const timeFor = (times: number[], parallelism?: number) => {
    const started = performance.now();
    const plan = planByTime(
      times.map((predictedMs, i): PlanItem => ({ row: i + 1, key: `k${i + 1}`, predictedMs })),
      { timeBudgetMs: DEFAULT_TIME_BUDGET_MS, maxPartitionSize: size, ...(parallelism ? { parallelism } : {}) },
    );
    const planMs = performance.now() - started;
    const actualTimes = plan.partitions.map((p) => p.rows.reduce((s, r) => s + (actual[r.row - 1] as number), 0));
    return {
      plan,
      planMs,
      makespan: simulate(actualTimes, workers),
      overBudget: actualTimes.filter((t) => t > DEFAULTS.processorTimeoutSeconds * 1000).length,
    };
  };
  const exact = timeFor(actual, workers);
  const noisy = timeFor(predicted, workers);
  const noHint = timeFor(actual);
  return {
    seed,
    lowerBound,
    rows: {
      partitions: byRows.length,
      makespan: simulate(byRows, workers),
      overTimeout: byRows.filter((t) => t > DEFAULTS.processorTimeoutSeconds * 1000).length,
    },
    exact,
    noisy,
    noHint,
  };
}

console.log(
  `${repos} repositories, log-normal durations (median 3 min, sigma ${sigma}), ${workers} workers, budget ${DEFAULT_TIME_BUDGET_MS / 60_000} min, partition size cap ${DEFAULTS.partitionSize}`,
);
console.log(
  "| seed | lower bound h | row-count: partitions / makespan h / partitions over the 1 h job timeout | time plan, exact predictions: partitions / makespan h / x row-count / x lower bound / plan ms | time plan, predictions off (sigma 0.3): makespan h / x row-count / x lower bound / partitions over 1 h | time plan without `parallelism`: partitions / makespan h / x lower bound |",
);
console.log("|---|---|---|---|---|---|");
const ratio = (a: number, b: number) => (a / b).toFixed(3);
for (const seed of SEEDS) {
  const r = runSeed(seed);
  console.log(
    `| ${seed} | ${hours(r.lowerBound)} | ${r.rows.partitions} / ${hours(r.rows.makespan)} / ${r.rows.overTimeout} | ` +
      `${r.exact.plan.partitions.length} / ${hours(r.exact.makespan)} / ${ratio(r.exact.makespan, r.rows.makespan)} / ${ratio(r.exact.makespan, r.lowerBound)} / ${r.exact.planMs.toFixed(0)} | ` +
      `${hours(r.noisy.makespan)} / ${ratio(r.noisy.makespan, r.rows.makespan)} / ${ratio(r.noisy.makespan, r.lowerBound)} / ${r.noisy.overBudget} | ` +
      `${r.noHint.plan.partitions.length} / ${hours(r.noHint.makespan)} / ${ratio(r.noHint.makespan, r.lowerBound)} |`,
  );
}
