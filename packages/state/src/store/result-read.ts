/**
 * Reading a run's result records: the plain `results/p<N>.json` (local runs, the processor outside AWS Batch) and
 * the per-task `results/by-task/<aws:userid>/p<N>.json` an AWS Batch array child writes (its role may write only
 * under its own session's prefix). A per-task record is read only when its task is one AWS Batch ran for partition
 * N (`RanTasksLookup`, asked once per read of a run); every record of a partition is merged into one
 * (`mergeResults`: two attempts' entries both survive). Anything else under `results/` is ignored with a warning.
 */
import pLimit from "p-limit";
import { taskRecordProblem } from "../admit.js";
import { parseResult } from "../parse.js";
import type { PartitionResult } from "../records.js";
import type { StateBackend } from "./backend.js";
import { parseTaskResultKey, partitionOfResultKey, resultKey, resultsPrefix } from "./layout.js";
import { mergeResults } from "./result-merge.js";

/**
 * The ECS task ids AWS Batch ran for each of `partitions` of run `runId` (every attempt of the array child or job
 * that ran it; `childTaskIds` of @mass-ingest/batch); a partition left out ran no task.
 */
export type RanTasksLookup = (runId: string, partitions: readonly number[]) => Promise<ReadonlyMap<number, readonly string[]>>;

export interface ResultReader {
  backend: StateBackend;
  warn: (message: string) => void;
  /** Without it (no AWS Batch to ask: a local run) every per-task record is refused. */
  ranTasks?: RanTasksLookup | undefined;
}

/** Result records read at the same time (open files on a local store, sockets on S3). */
export const RESULT_READ_CONCURRENCY = 64;

const notFinished = "Its repositories count as not finished.";

/** One result record, checked to be the partition its key names; undefined (with a warning) when it cannot be read. */
async function readRecord(reader: ResultReader, key: string, runId: string, partition: number): Promise<PartitionResult | undefined> {
  const { backend, warn } = reader;
  const found = await backend.read(key);
  if (!found) return undefined;
  try {
    const record = parseResult(found.text, backend.location(key), warn);
    if (record.runId === runId && record.partition === partition) return record;
    warn(
      `Ignoring ${backend.location(key)}: it claims run ${record.runId} partition ${record.partition}, but its key is run ${runId} partition ${partition}. ${notFinished}`,
    );
  } catch (error) {
    warn(`Ignoring ${backend.location(key)}: ${(error as Error).message} ${notFinished}`);
  }
  return undefined;
}

/** The per-task keys whose task AWS Batch ran for their partition (the others refused with a warning). */
async function admittedTaskKeys(
  reader: ResultReader,
  runId: string,
  keys: readonly { key: string; partition: number; taskId: string }[],
): Promise<typeof keys> {
  const { backend, warn, ranTasks } = reader;
  if (keys.length === 0) return [];
  if (!ranTasks) {
    for (const { key, partition } of keys)
      warn(
        `Ignoring ${backend.location(key)}: a per-task result record of partition ${partition}, and there is no AWS Batch to ask which tasks ran that partition (a local run, or no job queue known), so it cannot be bound to it. ${notFinished}`,
      );
    return [];
  }
  const ran = await ranTasks(
    runId,
    [...new Set(keys.map((k) => k.partition))].sort((a, b) => a - b),
  );
  return keys.filter((k) => {
    const problem = taskRecordProblem(k, ran.get(k.partition));
    if (problem) warn(`Ignoring ${backend.location(k.key)}: it ${problem}. ${notFinished}`);
    return problem === undefined;
  });
}

/** Every readable result key of a run, by partition (plain key first, then per-task keys). */
export async function resultKeysByPartition(reader: ResultReader, runId: string): Promise<Map<number, string[]>> {
  const byPartition = new Map<number, string[]>();
  const add = (partition: number, key: string) => byPartition.set(partition, [...(byPartition.get(partition) ?? []), key]);
  const perTask: { key: string; partition: number; taskId: string }[] = [];
  for (const key of await reader.backend.list(resultsPrefix(runId))) {
    const plain = partitionOfResultKey(key);
    const task = parseTaskResultKey(key);
    if (plain !== undefined && key === resultKey(runId, plain)) add(plain, key);
    else if (task?.runId === runId) perTask.push({ key, partition: task.partition, taskId: task.taskId });
    else
      reader.warn(
        `Ignoring ${reader.backend.location(key)}: not a result record's key (${resultsPrefix(runId)}p<N>.json, or by-task/<role-id>:<task-id>/p<N>.json below it).`,
      );
  }
  for (const { key, partition } of await admittedTaskKeys(reader, runId, perTask)) add(partition, key);
  return new Map([...byPartition.entries()].sort((a, b) => a[0] - b[0]));
}

/** The records at `keys` (one partition's) merged into one; undefined when none is readable. */
async function readMerged(reader: ResultReader, runId: string, partition: number, keys: readonly string[]) {
  let merged: PartitionResult | undefined;
  for (const key of keys) {
    const record = await readRecord(reader, key, runId, partition);
    if (record) merged = mergeResults(merged, record);
  }
  return merged;
}

/** A partition's plain result record (the one a processor outside AWS Batch writes), as `readRecord`. */
export function readPlainResult(reader: ResultReader, runId: string, partition: number): Promise<PartitionResult | undefined> {
  return readRecord(reader, resultKey(runId, partition), runId, partition);
}

/** Visit each partition's merged record (`concurrency` partitions read at a time); resolves to how many were visited. */
export async function forEachMergedResult(
  reader: ResultReader,
  runId: string,
  visit: (result: PartitionResult) => void | Promise<void>,
  concurrency = RESULT_READ_CONCURRENCY,
): Promise<number> {
  const limit = pLimit(Math.max(1, concurrency));
  let visited = 0;
  const read = async (partition: number, keys: readonly string[]) => {
    const result = await readMerged(reader, runId, partition, keys);
    if (!result) return;
    visited++;
    await visit(result);
  };
  await Promise.all([...(await resultKeysByPartition(reader, runId))].map(([p, keys]) => limit(() => read(p, keys))));
  return visited;
}
