/** A processor's plan: the manifest it was given, the partition of its array index, the csv the plan was made from. */
import { JobParameterError, parsePartitions, partitionOfArrayIndex } from "@mass-ingest/contract";
import { StateError } from "./errors.js";
import type { ManifestHead } from "./parse.js";
import type { ManifestPartition, RunManifest } from "./records.js";
import { splitPlanLocation } from "./store/layout.js";
import { openStateStore, type StateStore, type StateStoreOptions } from "./store/state-store.js";

/**
 * Open the plan a processor was given (`--plan <state>/runs/<runId>/manifest.json`): the store at its root, the
 * run id and the manifest.
 */
export async function openPlan(
  location: string,
  options: StateStoreOptions = {},
): Promise<{ store: StateStore; runId: string; manifest: RunManifest }> {
  const { root, runId } = splitPlanLocation(location);
  const store = openStateStore(root, options);
  try {
    return { store, runId, manifest: await store.readManifest(runId) };
  } catch (error) {
    store.close();
    throw error;
  }
}

const noPartition = (runId: string, index: number, count: number) =>
  new StateError("INVALID_ARGUMENT", `Array index ${index} has no partition in the plan of run ${runId} (${count} partitions).`, {
    hint: `Valid array indexes are 0..${Math.max(0, count - 1)}; was the job submitted from another plan?`,
  });

/** The job's `partitions` parameter: "all" (child i runs partition i + 1), its text ("3,7,10-12"), or the numbers. */
export type PartitionsParameter = string | "all" | readonly number[];

/**
 * The manifest position (0-based) of the partition array child `index` runs, by the contract's
 * partitionOfArrayIndex (manifest partitions are numbered 1..n in order); a negative or fractional index is passed
 * through (no partition there). A bad `partitions` parameter, or an index past its list, is a StateError with the
 * contract's code (INVALID_PARTITIONS, INVALID_ARRAY_INDEX), exit 2.
 */
function manifestPosition(index: number, partitions: PartitionsParameter): number {
  if (!(Number.isSafeInteger(index) && index >= 0)) return index;
  try {
    return partitionOfArrayIndex(typeof partitions === "string" ? parsePartitions(partitions) : partitions, index) - 1;
  } catch (error) {
    if (!(error instanceof JobParameterError)) throw error;
    throw new StateError(error.code, error.message, { ...(error.hint !== undefined ? { hint: error.hint } : {}), cause: error });
  }
}

/**
 * The partition array child `index` (AWS_BATCH_JOB_ARRAY_INDEX, 0-based; a plain job passes 0) runs, given the job's
 * `partitions` parameter (default "all": child i runs partition i + 1).
 */
export function partitionForArrayIndex(manifest: RunManifest, index: number, partitions: PartitionsParameter = "all"): ManifestPartition {
  const partition = manifest.partitions[manifestPosition(index, partitions)];
  if (!partition) throw noPartition(manifest.runId, index, manifest.partitions.length);
  return partition;
}

/**
 * `openPlan` for one array child: the manifest's head and only the partition array child `index` runs (the
 * others are not validated or kept), by `options.partitions` as `partitionForArrayIndex`. Throws as `openPlan`
 * and `partitionForArrayIndex` do.
 */
export async function openPlanPartition(
  location: string,
  index: number,
  options: StateStoreOptions & { partitions?: PartitionsParameter } = {},
): Promise<{ store: StateStore; runId: string; manifest: ManifestHead; partition: ManifestPartition }> {
  const { partitions = "all", ...storeOptions } = options;
  const { root, runId } = splitPlanLocation(location);
  const store = openStateStore(root, storeOptions);
  try {
    const position = manifestPosition(index, partitions);
    const { manifest, partitionCount, partition } = await store.readManifestPartition(runId, position);
    if (!partition) throw noPartition(runId, index, partitionCount);
    return { store, runId, manifest, partition };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** Refuse a csv that is not the one planned: row count and sha256 must both match the manifest's. */
export function checkManifestCsv(manifest: Pick<RunManifest, "runId" | "csv">, csv: { rowCount: number; sha256: string }): void {
  if (manifest.csv.rowCount === csv.rowCount && manifest.csv.sha256 === csv.sha256.toLowerCase()) return;
  throw new StateError(
    "PLAN_CSV_CHANGED",
    `The csv at ${manifest.csv.location} changed since run ${manifest.runId} was planned (planned: ${manifest.csv.rowCount} rows, sha256 ${manifest.csv.sha256.slice(0, 12)}…; now: ${csv.rowCount} rows, sha256 ${csv.sha256.slice(0, 12)}…).`,
    { hint: "Do not change repos.csv while a run is in flight; submit a new run to plan the new csv." },
  );
}
