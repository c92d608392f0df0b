import { CHUNKER_ENV, countOf } from "@mass-ingest/contract";
import {
  foldPendingRuns,
  memoryFailures,
  planByTime,
  rowsToRetry,
  StateError,
  type RunManifest,
  type StateStore,
} from "@mass-ingest/state";
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

/** `rows` of run `runId` planned again by time as run `newRunId` of the csv of `manifest`; undefined when none. */
function manifestOf(
  rows: ReturnType<typeof rowsToRetry>,
  runId: string,
  manifest: RunManifest,
  newRunId: string,
  partitionSize: number,
  workers: { parallelism?: number; cutLastRound?: boolean },
): RunManifest | undefined {
  if (rows.length === 0) return undefined;
  const plan = planByTime(rows, {
    timeBudgetMs: manifest.timeBudgetMs,
    maxPartitionSize: partitionSize,
    ...workers,
  });
  return {
    runId: newRunId,
    retryOf: runId,
    csv: manifest.csv,
    createdAt: new Date().toISOString(),
    timeBudgetMs: manifest.timeBudgetMs,
    predictedMakespanMs: plan.predictedMakespanMs,
    ...(plan.parallelism !== undefined ? { parallelism: plan.parallelism } : {}),
    partitions: plan.partitions,
  };
}

/** One run a retry launches: its manifest, and the job definition when not the default one. */
interface RetryRun {
  manifest: RunManifest;
  jobDefinition?: string;
}

/**
 * The retry's runs: the repositories of `runId` that did not finish ok, planned again by time. With a larger job
 * definition (`large`), those that failed for `memory` are a run of their own on it (`<newRunId>-large`); without
 * one, each is logged with the memory it needs.
 */
async function retryRuns(
  store: StateStore,
  runId: string,
  original: RunManifest,
  newRunId: string,
  plan: { partitionSize: number; workers: { parallelism?: number; cutLastRound?: boolean }; large: string | undefined },
  io: Io,
): Promise<RetryRun[]> {
  await foldPendingRuns(store);
  const results = await store.readResults(runId);
  const rows = rowsToRetry(original, results);
  const memory = memoryFailures(results);
  const big = rows.filter((r) => memory.has(r.key));
  if (plan.large === undefined) {
    const latest = new Map(results.flatMap((p) => p.repos).map((e) => [e.key, e] as const));
    for (const r of big) {
      const had = latest.get(r.key)?.memoryMiB;
      const needs = had === undefined ? "more memory than the processor has" : `more than ${had} MiB`;
      io.logger.warn(
        { row: r.row, key: r.key, cause: "memory", ...(had === undefined ? {} : { memoryMiB: had }) },
        `row ${r.row} (${r.key}) failed for memory: needs ${needs}; set processor.largeMemoryMiB to retry it on a larger job definition (docs/triage.md)`,
      );
    }
  }
  const rest = plan.large === undefined ? rows : rows.filter((r) => !memory.has(r.key));
  const runs: RetryRun[] = [];
  const main = manifestOf(rest, runId, original, newRunId, plan.partitionSize, plan.workers);
  if (main) runs.push({ manifest: main });
  const onLarge =
    plan.large === undefined ? undefined : manifestOf(big, runId, original, `${newRunId}-large`, plan.partitionSize, plan.workers);
  if (onLarge) runs.push({ manifest: onLarge, jobDefinition: plan.large! });
  return runs;
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

/** What `retry --dry-run` prints: the retry run's rows by partition, and the memory run's on the larger job definition. */
function dryRunOf(runId: string, runs: readonly RetryRun[]): Record<string, unknown> {
  const describe = (m: RunManifest) => ({
    retryRunId: m.runId,
    repos: m.partitions.reduce((n, p) => n + p.rows.length, 0),
    partitions: m.partitions.map((p) => ({ partition: p.partition, predictedMs: p.predictedMs, rows: p.rows.map((r) => r.row) })),
  });
  const main = runs.find((r) => r.jobDefinition === undefined);
  const large = runs.find((r) => r.jobDefinition !== undefined);
  return {
    dryRun: true,
    runId,
    ...(main ? describe(main.manifest) : { retryRunId: null, repos: 0, partitions: [] }),
    ...(large ? { large: { jobDefinition: large.jobDefinition, ...describe(large.manifest) } } : {}),
  };
}

/**
 * `retry <run-id> --state ...`: only the repositories of the run that did not finish ok (failed, timed out, not
 * reached), planned into a new run (`<run-id>-retry-<time>`) and run or submitted like any run; on AWS Batch with
 * a larger job definition, the memory failures as a second run (`<retry run id>-large`) on it.
 */
export async function stateRetry(
  location: string,
  target: string,
  flags: SubmitFlags & { largeJobDefinition?: string },
  io: Io,
): Promise<number> {
  const store = openStore(location, io.logger, io.env);
  try {
    const runId = target === "latest" ? await latestRun(store, location) : target;
    const newRunId = flags.runId ?? retryRunId(runId, new Date());
    const original = await store.readManifest(runId);
    const settings = withLocalProcessor(
      submitSettings(original.csv.location, { ...flags, runId: newRunId, state: location }, io.env),
      io.env,
    );
    const large =
      settings.executor === "batch" ? (flags.largeJobDefinition ?? io.env[CHUNKER_ENV.largeJobDefinition.name])?.trim() : undefined;
    const plan = { partitionSize: settings.partitionSize, workers: workersOf(settings), large: large || undefined };
    const runs = await retryRuns(store, runId, original, newRunId, plan, io);
    if (runs.length === 0) {
      io.stdout(`run ${runId}: every planned repository finished ok, nothing to retry`);
      return 0;
    }
    for (const { manifest, jobDefinition } of runs) {
      const repos = manifest.partitions.reduce((n, p) => n + p.rows.length, 0);
      io.logger.info(
        { runId, retryRunId: manifest.runId, repos, partitions: manifest.partitions.length, ...(jobDefinition ? { jobDefinition } : {}) },
        `run ${runId}: retrying ${countOf(repos, "repository", "repositories")} as run ${manifest.runId} (${manifest.partitions.length} partition(s), predicted ${minutes(manifest.predictedMakespanMs)})${jobDefinition ? ` on ${jobDefinition} (failed for memory)` : ""}`,
      );
    }
    if (settings.dryRun) {
      io.stdout(JSON.stringify(dryRunOf(runId, runs), null, 2));
      return 0;
    }
    let code = 0;
    for (const { manifest, jobDefinition } of runs) {
      const planLocation = await store.writeManifest(manifest);
      await foldPendingRuns(store, { addRun: manifest.runId });
      const run = { ...settings, runId: manifest.runId, ...(jobDefinition ? { jobDefinition } : {}) };
      code = Math.max(code, await launchPlanned(run, original.csv.rowCount, manifest, planLocation, io));
    }
    return code;
  } finally {
    store.close();
  }
}
