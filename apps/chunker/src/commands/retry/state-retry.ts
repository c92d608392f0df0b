import { countOf } from "@mass-ingest/contract";
import { foldPendingRuns, planByTime, rowsToRetry, StateError, type RunManifest, type StateStore } from "@mass-ingest/state";
import type { Io } from "../../io.js";
import { minutes, openStore } from "../../state/store.js";
import { launchPlanned } from "../submit/incremental.js";
import { workersOf } from "../submit/prepare.js";
import { withLocalProcessor } from "../submit/processor-command.js";
import { submitSettings, type SubmitFlags } from "../submit/settings.js";

/** The retry run's id: the run id, "-retry-" and the UTC time (a new run folder next to the original). */
export function retryRunId(runId: string, now: Date): string {
  return `${runId}-retry-${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}`;
}

/** The retry's manifest: the repositories of `runId` (its `manifest`) that did not finish ok, planned again by time; undefined when none. */
async function retryManifest(
  store: StateStore,
  runId: string,
  manifest: RunManifest,
  newRunId: string,
  partitionSize: number,
  workers: { parallelism?: number; cutLastRound?: boolean },
): Promise<RunManifest | undefined> {
  await foldPendingRuns(store);
  const rows = rowsToRetry(manifest, await store.readResults(runId));
  if (rows.length === 0) return undefined;
  const plan = planByTime(rows, {
    timeBudgetMs: manifest.timeBudgetMs,
    maxPartitionSize: partitionSize,
    ...workers,
  });
  return {
    runId: newRunId,
    csv: manifest.csv,
    createdAt: new Date().toISOString(),
    timeBudgetMs: manifest.timeBudgetMs,
    predictedMakespanMs: plan.predictedMakespanMs,
    ...(plan.parallelism !== undefined ? { parallelism: plan.parallelism } : {}),
    partitions: plan.partitions,
  };
}

/** The newest run of the store (as `status latest` and `report latest` take it). */
async function latestRun(store: StateStore, location: string): Promise<string> {
  const latest = (await store.listRuns()).at(-1);
  if (latest === undefined) {
    throw new StateError("PLAN_NOT_FOUND", `There are no runs in ${location}.`, {
      hint: "Check the state location (--state, STATE_URL, or <DATA_DIR>/state by default); submit writes a run there.",
    });
  }
  return latest;
}

/**
 * `retry <run-id> --state ...`: only the repositories of the run that did not finish ok (failed, timed out, not
 * reached), planned into a new run (`<run-id>-retry-<time>`) and run or submitted like any run.
 */
export async function stateRetry(location: string, target: string, flags: SubmitFlags, io: Io): Promise<number> {
  const store = openStore(location, io.logger, io.env);
  try {
    const runId = target === "latest" ? await latestRun(store, location) : target;
    const newRunId = flags.runId ?? retryRunId(runId, new Date());
    const original = await store.readManifest(runId);
    const settings = withLocalProcessor(
      submitSettings(original.csv.location, { ...flags, runId: newRunId, state: location }, io.env),
      io.env,
    );
    const manifest = await retryManifest(store, runId, original, newRunId, settings.partitionSize, workersOf(settings));
    if (!manifest) {
      io.stdout(`run ${runId}: every planned repository finished ok, nothing to retry`);
      return 0;
    }
    const repos = manifest.partitions.reduce((n, p) => n + p.rows.length, 0);
    io.logger.info(
      { runId, retryRunId: newRunId, repos, partitions: manifest.partitions.length },
      `run ${runId}: retrying ${countOf(repos, "repository", "repositories")} as run ${newRunId} (${manifest.partitions.length} partition(s), predicted ${minutes(manifest.predictedMakespanMs)})`,
    );
    if (settings.dryRun) {
      io.stdout(
        JSON.stringify(
          {
            dryRun: true,
            runId,
            retryRunId: newRunId,
            repos,
            partitions: manifest.partitions.map((p) => ({
              partition: p.partition,
              predictedMs: p.predictedMs,
              rows: p.rows.map((r) => r.row),
            })),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    const planLocation = await store.writeManifest(manifest);
    await foldPendingRuns(store, { addRun: newRunId });
    return await launchPlanned(settings, original.csv.rowCount, manifest, planLocation, io);
  } finally {
    store.close();
  }
}
