/**
 * The ECS tasks AWS Batch ran for each partition of a run, for the fold's check of per-task result records
 * (docs/security.md, "Scoping each array child's result writes"): the run's jobs (array jobs, plain jobs and
 * retries, found as `status` finds them), the child or job that ran each partition, and every attempt's task.
 */
import { describeJobs } from "./aws-calls.js";
import { childTaskIds } from "./child-tasks.js";
import type { BatchApi } from "./clients.js";
import { runJobsOf, toRunJob, type StatusTarget } from "./status.js";

/** Task ids by partition, each once (in no set order across jobs); `partitions` limits the DescribeJobs calls to those. */
export async function runTaskIds(batch: BatchApi, target: StatusTarget, partitions?: readonly number[]): Promise<Map<number, string[]>> {
  const wanted = partitions ? new Set(partitions) : undefined;
  const { jobs } = await runJobsOf(batch, target);
  const out = new Map<number, string[]>();
  const add = (partition: number, tasks: readonly string[]) => out.set(partition, [...new Set([...(out.get(partition) ?? []), ...tasks])]);
  const children = new Map<string, number>();
  for (const job of jobs) {
    const run = toRunJob(job);
    run.partitions.forEach((partition, index) => {
      if (wanted && !wanted.has(partition)) return;
      if (run.arraySize) children.set(`${run.jobId}:${index}`, partition);
      else add(partition, childTaskIds(job));
    });
  }
  for (const child of await describeJobs(batch, [...children.keys()])) {
    const partition = child.jobId === undefined ? undefined : children.get(child.jobId);
    if (partition !== undefined) add(partition, childTaskIds(child));
  }
  return out;
}
