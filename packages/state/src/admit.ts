/**
 * What a run's result records may claim, checked against its manifest before the fold uses them. A record is
 * written by a processor that runs untrusted builds, so the fold accepts only the manifest's partitions, only the
 * keys planned for each (at their planned rows), and `finishedAt` within the run's window. Pure.
 */
import type { PartitionResult, ResultEntry, RunManifest } from "./records.js";

/** Clock skew allowed between the chunker that planned the run, the processors and the folding chunker: 5 min. */
export const FOLD_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface AdmitOptions {
  /** The end of the run's window (default: now); a `finishedAt` later than this plus the skew is refused. */
  now?: Date;
  skewMs?: number;
}

/** A refused record or entry, with the reason (the warning names the key). */
export interface Rejection {
  runId: string;
  partition: number;
  key?: string;
  reason: string;
}

function entryProblem(entry: ResultEntry, planned: ReadonlyMap<string, number>, window: { from: number; to: number }): string | undefined {
  const row = planned.get(entry.key);
  if (row === undefined) return "is not planned for this partition";
  if (row !== entry.row) return `claims row ${entry.row}, planned at row ${row}`;
  const at = Date.parse(entry.finishedAt);
  if (!Number.isFinite(at)) return `has no valid finishedAt ("${entry.finishedAt}")`;
  if (at < window.from || at > window.to) {
    return `claims finishedAt ${entry.finishedAt}, outside the run's window ${new Date(window.from).toISOString()} .. ${new Date(window.to).toISOString()}`;
  }
  return undefined;
}

/** Planned key -> row per partition of a manifest, built once per manifest object (the fold admits one record at a time). */
const planCache = new WeakMap<RunManifest, Map<number, Map<string, number>>>();
function plansOf(manifest: RunManifest): Map<number, Map<string, number>> {
  let plans = planCache.get(manifest);
  if (!plans) {
    plans = new Map(manifest.partitions.map((p) => [p.partition, new Map(p.rows.map((r) => [r.key, r.row] as const))] as const));
    planCache.set(manifest, plans);
  }
  return plans;
}

/** The records (and entries) the manifest allows, and every refusal. */
export function admitResults(
  manifest: RunManifest,
  results: readonly PartitionResult[],
  options: AdmitOptions = {},
): { admitted: PartitionResult[]; rejected: Rejection[] } {
  const skew = options.skewMs ?? FOLD_CLOCK_SKEW_MS;
  const window = { from: Date.parse(manifest.createdAt) - skew, to: (options.now ?? new Date()).getTime() + skew };
  const plans = plansOf(manifest);
  const admitted: PartitionResult[] = [];
  const rejected: Rejection[] = [];
  for (const result of results) {
    const planned = plans.get(result.partition);
    if (result.runId !== manifest.runId || !planned) {
      const reason = result.runId !== manifest.runId ? `names run ${result.runId}` : "is not a partition of the manifest";
      rejected.push({ runId: manifest.runId, partition: result.partition, reason });
      continue;
    }
    const repos = result.repos.filter((entry) => {
      const reason = entryProblem(entry, planned, window);
      if (reason) rejected.push({ runId: manifest.runId, partition: result.partition, key: entry.key, reason });
      return reason === undefined;
    });
    admitted.push({ ...result, repos });
  }
  return { admitted, rejected };
}

/**
 * Why a per-task result record (`parseTaskResultKey`) may not be admitted: its writer's task is not one AWS Batch
 * ran for that partition's array child (`ranTasks`, from `childTaskIds` of @mass-ingest/batch). IAM lets a task
 * write only under its own session's prefix, but any partition there: this check binds the record to the partition.
 */
export function taskRecordProblem(
  written: { partition: number; taskId: string },
  ranTasks: readonly string[] | undefined,
): string | undefined {
  if (!ranTasks || ranTasks.length === 0)
    return `was written by task ${written.taskId}, but AWS Batch ran no task for partition ${written.partition}`;
  if (!ranTasks.includes(written.taskId))
    return `was written by task ${written.taskId}, which AWS Batch did not run for partition ${written.partition} (it ran ${ranTasks.join(", ")})`;
  return undefined;
}

/** The warning for a refusal: which record, which key, why. */
export function rejectionMessage(r: Rejection, location: string): string {
  const what = r.key === undefined ? `the result record of partition ${r.partition}` : `the entry for ${r.key} in partition ${r.partition}`;
  return `Ignoring ${what} of run ${r.runId} (${location}): it ${r.reason}. The manifest does not allow it, so it is not folded into the state; the repository counts as not finished.`;
}
