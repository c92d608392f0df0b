import { CHUNKER_ENV, DEFAULTS } from "@mass-ingest/contract";
import type { Logger } from "@mass-ingest/core";
import { createBatchApi, runTaskIds } from "@mass-ingest/batch";
import { openStateStore, type RanTasksLookup, type StateStore } from "@mass-ingest/state";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the run's jobs are: the queue (flag or JOB_QUEUE) and the job name prefix (flag or JOB_NAME). */
export interface RunJobsAt {
  jobQueue?: string | undefined;
  jobName?: string | undefined;
}

/**
 * Which ECS tasks AWS Batch ran for a run's partitions (DescribeJobs on the run's jobs in `jobQueue`), so the fold
 * reads each per-task result record only from a task that ran its partition; undefined without a queue (a local
 * run: per-task records are then refused). A failed lookup is a warning, and no task counts as ran: the records
 * wait for the next fold (the run stays pending).
 */
function ranTasksLookup(at: RunJobsAt, logger: Logger): RanTasksLookup | undefined {
  const jobQueue = at.jobQueue;
  if (!jobQueue) return undefined;
  const jobName = at.jobName ?? DEFAULTS.jobName;
  let batch: ReturnType<typeof createBatchApi> | undefined;
  return async (runId, partitions) => {
    try {
      return await runTaskIds((batch ??= createBatchApi()), { runId, jobQueue, jobName }, partitions);
    } catch (error) {
      logger.warn(
        { runId, jobQueue, error: (error as Error).message },
        `could not ask AWS Batch which tasks ran run ${runId}: its per-task result records are not folded this time`,
      );
      return new Map();
    }
  };
}

/**
 * The state store at `url`, its warnings (unreadable result records, a discarded state) logged; per-task result
 * records checked against the run's jobs in `at.jobQueue` (default JOB_QUEUE / JOB_NAME of `env`).
 */
export function openStore(url: string, logger: Logger, env: Env, at: RunJobsAt = {}): StateStore {
  const jobs = { jobQueue: at.jobQueue ?? env[CHUNKER_ENV.jobQueue.name], jobName: at.jobName ?? env[CHUNKER_ENV.jobName.name] };
  const ranTasks = ranTasksLookup(jobs, logger);
  return openStateStore(url, { env, onWarning: (message) => logger.warn({ state: url }, message), ...(ranTasks ? { ranTasks } : {}) });
}

/** Minutes with one decimal, for messages. */
export const minutes = (ms: number): string => `${(ms / 60_000).toFixed(1)} min`;
