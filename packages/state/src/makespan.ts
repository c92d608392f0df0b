/** How long a plan takes when its partitions share a number of workers. Pure. */

/**
 * The makespan of partitions taking `partitionMs` each (in the order workers take them: the plan's numbering,
 * longest first) on `parallelism` workers, each partition going to the worker that is free first (list
 * scheduling, as AWS Batch and the local executor start them). Without `parallelism`, or with at least one worker
 * per partition, every partition runs at once: the longest one. 0 for no partitions.
 */
export function predictMakespan(partitionMs: readonly number[], parallelism?: number): number {
  if (parallelism === undefined || parallelism >= partitionMs.length) return Math.max(0, ...partitionMs);
  const workers = Math.max(1, Math.floor(parallelism));
  // min-heap of the times the workers are free again
  const free = new Array<number>(workers).fill(0);
  for (const ms of partitionMs) {
    free[0] = (free[0] as number) + ms;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      let m = i;
      if (l < workers && (free[l] as number) < (free[m] as number)) m = l;
      if (l + 1 < workers && (free[l + 1] as number) < (free[m] as number)) m = l + 1;
      if (m === i) break;
      [free[i], free[m]] = [free[m] as number, free[i] as number];
      i = m;
    }
  }
  return Math.max(0, ...free);
}
