/** Time-budgeted partitions: as many as needed, balanced by predicted time. Pure. */
import { DEFAULTS } from "@mass-ingest/contract";
import { DEFAULT_TIME_BUDGET_MS } from "./constants.js";
import { StateError } from "./errors.js";
import { predictMakespan } from "./makespan.js";

export interface PlanItem {
  row: number;
  key: string;
  predictedMs: number;
}

export interface PlannedPartition {
  /** 1-based; partition i is array child i - 1. Partitions come longest first. */
  partition: number;
  predictedMs: number;
  /** Rows in ascending row order. */
  rows: PlanItem[];
}

export interface TimePlan {
  partitions: PlannedPartition[];
  /**
   * The predicted time until the last partition ends, with the plan's `parallelism` (see predictMakespan):
   * the longest partition's prediction when every partition runs at once (no `parallelism`).
   */
  predictedMakespanMs: number;
  /** The workers the makespan was predicted for (the option); absent: one per partition. */
  parallelism?: number;
  /** Repositories predicted over the budget on their own (each got a partition of its own). */
  warnings: string[];
}

export interface PlanByTimeOptions {
  /** No partition's predicted time exceeds this (unless one repository alone does). Default {@link DEFAULT_TIME_BUDGET_MS}. */
  timeBudgetMs?: number;
  /** No partition holds more repositories. Default `DEFAULTS.partitionSize`. */
  maxPartitionSize?: number;
  /**
   * How many partitions run at once (the compute environment's workers). When given, the partition count is
   * rounded up to a multiple of it (at most one partition per repository), so every worker gets the same number
   * of equally loaded partitions instead of a last round that leaves most workers idle. The predicted makespan
   * is for this many workers.
   */
  parallelism?: number;
  /**
   * With `parallelism`: cut the last round's partitions into quarters so the workers end together (default
   * true, for AWS Batch's many workers). false keeps whole partitions: the local executor, whose few processes
   * gain nothing from more, smaller partitions.
   */
  cutLastRound?: boolean;
}

/** Longest first onto the least loaded partition that still has room; partition indexes in a min-heap by load. */
export function packInto(items: readonly PlanItem[], count: number, maxSize: number): { loads: number[]; bins: PlanItem[][] } {
  const loads = new Array<number>(count).fill(0);
  const bins: PlanItem[][] = Array.from({ length: count }, () => []);
  const heap = Array.from({ length: count }, (_, i) => i);
  const less = (a: number, b: number) =>
    (loads[a] as number) - (loads[b] as number) || (bins[a] as PlanItem[]).length - (bins[b] as PlanItem[]).length || a - b;
  const siftDown = (start: number) => {
    for (let i = start; ;) {
      const l = 2 * i + 1;
      let m = i;
      if (l < heap.length && less(heap[l] as number, heap[m] as number) < 0) m = l;
      if (l + 1 < heap.length && less(heap[l + 1] as number, heap[m] as number) < 0) m = l + 1;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  };
  for (const item of items) {
    const p = heap[0] as number;
    (bins[p] as PlanItem[]).push(item);
    loads[p] = (loads[p] as number) + item.predictedMs;
    if ((bins[p] as PlanItem[]).length >= maxSize) {
      const last = heap.pop() as number;
      if (heap.length > 0) heap[0] = last;
    }
    if (heap.length > 0) siftDown(0);
  }
  return { loads, bins };
}

const fits = (loads: number[], budget: number) => loads.every((l) => l <= budget);

/** The fewest partitions (doubling, then bisecting) whose packing keeps every partition within the budget. */
function fewestWithinBudget(items: readonly PlanItem[], budget: number, maxSize: number): PlanItem[][] {
  if (items.length === 0) return [];
  const total = items.reduce((sum, i) => sum + i.predictedMs, 0);
  let low = Math.max(1, Math.ceil(total / budget), Math.ceil(items.length / maxSize));
  let best = packInto(items, low, maxSize);
  if (fits(best.loads, budget)) return best.bins;
  let high = low;
  for (;;) {
    high = Math.min(items.length, high * 2);
    best = packInto(items, high, maxSize);
    if (fits(best.loads, budget) || high === items.length) break;
    low = high;
  }
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    const attempt = packInto(items, mid, maxSize);
    if (fits(attempt.loads, budget)) [high, best] = [mid, attempt];
    else low = mid;
  }
  return best.bins;
}

/** Pieces each of the last round's partitions is cut into, so the run ends on short partitions. */
const TAIL_PIECES = 4;

/**
 * With `parallelism`: the partition count rounded up to a multiple of the workers, and the last round (the
 * `parallelism` lightest partitions) cut into {@link TAIL_PIECES} each. Workers that take partitions longest
 * first then end within about a quarter of a partition of each other instead of a whole one.
 */
function forWorkers(
  items: readonly PlanItem[],
  fewest: PlanItem[][],
  budget: number,
  maxSize: number,
  workers: { parallelism: number; cutLastRound: boolean },
): PlanItem[][] {
  const { parallelism } = workers;
  const count = Math.min(items.length, Math.ceil(fewest.length / parallelism) * parallelism);
  const rounded = count === fewest.length ? { bins: fewest, loads: fewest.map(sum) } : packInto(items, count, maxSize);
  if (!fits(rounded.loads, budget)) return fewest;
  const order = rounded.bins.map((bin, i) => ({ bin, load: rounded.loads[i] as number })).sort((a, b) => b.load - a.load);
  if (order.length <= parallelism || !workers.cutLastRound) return order.map((o) => o.bin);
  const head = order.slice(0, order.length - parallelism).map((o) => o.bin);
  const tail = order.slice(order.length - parallelism).flatMap((o) => {
    const sorted = o.bin.slice().sort((a, b) => b.predictedMs - a.predictedMs);
    return packInto(sorted, Math.min(TAIL_PIECES, sorted.length), maxSize).bins.filter((b) => b.length > 0);
  });
  return [...head, ...tail];
}

const sum = (bin: readonly PlanItem[]) => bin.reduce((s, i) => s + i.predictedMs, 0);

/** The budget packing, then (with `parallelism`) shaped for that many workers. */
function packWithinBudget(
  items: readonly PlanItem[],
  budget: number,
  maxSize: number,
  options: Pick<PlanByTimeOptions, "parallelism" | "cutLastRound">,
): PlanItem[][] {
  const fewest = fewestWithinBudget(items, budget, maxSize);
  const { parallelism } = options;
  if (!parallelism || fewest.length === 0) return fewest;
  return forWorkers(items, fewest, budget, maxSize, { parallelism, cutLastRound: options.cutLastRound ?? true });
}

function checkOptions(timeBudgetMs: number, maxPartitionSize: number): void {
  if (!(Number.isFinite(timeBudgetMs) && timeBudgetMs > 0)) {
    throw new StateError("INVALID_ARGUMENT", `The time budget must be a positive number of milliseconds, got ${String(timeBudgetMs)}.`, {
      hint: "Pass --time-budget like 45m or 2h.",
    });
  }
  if (!(Number.isSafeInteger(maxPartitionSize) && maxPartitionSize >= 1)) {
    throw new StateError("INVALID_ARGUMENT", `The partition size must be a whole number >= 1, got ${String(maxPartitionSize)}.`, {
      hint: "Pass --partition-size 50 or similar.",
    });
  }
}

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/**
 * Partition `items` so that no partition's predicted time exceeds the budget and none holds more than
 * `maxPartitionSize` repositories, with as few partitions as the greedy packing (longest first onto the least
 * loaded partition) allows. A repository predicted over the budget on its own gets a partition of its own and a
 * warning naming it. Partitions are numbered longest first, so workers that take them in order start the
 * longest ones first. The predicted makespan is for `parallelism` workers (every partition at once without it).
 */
export function planByTime(items: ReadonlyArray<PlanItem>, options: PlanByTimeOptions = {}): TimePlan {
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const maxSize = options.maxPartitionSize ?? DEFAULTS.partitionSize;
  checkOptions(budget, maxSize);
  if (options.parallelism !== undefined && !(Number.isSafeInteger(options.parallelism) && options.parallelism >= 1)) {
    throw new StateError("INVALID_ARGUMENT", `parallelism must be a whole number >= 1, got ${String(options.parallelism)}.`, {
      hint: "Pass the number of partitions that run at once.",
    });
  }
  const sorted = items.slice().sort((a, b) => b.predictedMs - a.predictedMs || a.row - b.row);
  const oversize = sorted.filter((i) => i.predictedMs > budget);
  const warnings = oversize.map(
    (i) =>
      `Row ${i.row} (${i.key}) is predicted to take ${minutes(i.predictedMs)}, over the time budget of ${minutes(budget)}: it gets a partition of its own and may hit the job timeout.`,
  );
  const bins = [
    ...oversize.map((i) => [i]),
    ...packWithinBudget(
      sorted.filter((i) => i.predictedMs <= budget),
      budget,
      maxSize,
      options,
    ),
  ];
  const partitions = bins
    .map((rows) => ({ predictedMs: rows.reduce((s, r) => s + r.predictedMs, 0), rows: rows.slice().sort((a, b) => a.row - b.row) }))
    .sort((a, b) => b.predictedMs - a.predictedMs || (a.rows[0]?.row ?? 0) - (b.rows[0]?.row ?? 0))
    .map((p, i) => ({ partition: i + 1, ...p }));
  const predictedMakespanMs = predictMakespan(
    partitions.map((p) => p.predictedMs),
    options.parallelism,
  );
  return { partitions, predictedMakespanMs, ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}), warnings };
}
