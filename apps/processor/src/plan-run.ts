/**
 * A processor run from a plan in the state store (`--plan <manifest>`): the rows the manifest plans for this
 * array child's partition, minus those an earlier attempt already built ok (resume), and a result record written
 * after each repository.
 */
import { arrayIndexFromEnv, isBuildOutcome, type FailureCause } from "@mass-ingest/contract";
import type { Logger } from "@mass-ingest/core";
import { selectRows, type JobRows, type RepoRow } from "@mass-ingest/partition";
import { classifyResult, type JdkRemedy, type RepoResult } from "@mass-ingest/pipeline";
import {
  checkManifestCsv,
  cliVersion,
  openPlanPartition,
  openResultRecorder,
  rowFingerprint,
  type ManifestHead,
  type ManifestPartition,
  type RecorderLimits,
  type ResultRecorder,
  type StateStore,
} from "@mass-ingest/state";
import { readCsvOnce } from "./csv-identity.js";
import { resultSession } from "./result-session.js";

type Env = Record<string, string | undefined>;

/** The planned run: its rows, and the recording of each finished repository. */
export interface PlanRun {
  runId: string;
  partition: number;
  rows: JobRows;
  /** Planned repositories an earlier attempt of this partition already built ok (not built again). */
  alreadyDone: number;
  /** The plan's predicted ms by row (the pipeline's estimate of what can finish before the deadline). */
  predictedMs: ReadonlyMap<number, number>;
  /** The toolchain remedies the plan carries, by row (the JDK a row builds with while its `java` is unchanged). */
  remedies: ReadonlyMap<number, JdkRemedy>;
  /** The Moderne CLI that builds (its version goes into each result's fingerprint). */
  begin(command: string): Promise<void>;
  /** Record one finished repository (a failed write is logged; the next write carries it too). */
  onResult(result: RepoResult): void;
  /** Wait for the pending writes, then close the store. */
  close(): Promise<void>;
}

/** The failure cause the triage rules give a failed or timed-out result (docs/triage.md). */
function causeOf(result: RepoResult): { cause?: FailureCause } {
  const classified = classifyResult(result);
  return classified ? { cause: classified.cause } : {};
}

/** A memory failure's MiB per build (it needs more than that: docs/triage.md). */
function memoryOf(result: RepoResult, memoryMiB: number | undefined): { memoryMiB?: number } {
  return memoryMiB !== undefined && classifyResult(result)?.cause === "memory" ? { memoryMiB } : {};
}

function recorderHooks(
  recorder: ResultRecorder,
  keys: Map<number, string>,
  rows: Map<number, RepoRow>,
  logger: Logger,
  memoryMiB: number | undefined,
) {
  let version = "";
  const writes: Promise<void>[] = [];
  return {
    setVersion: (v: string) => (version = v),
    onResult(result: RepoResult) {
      const outcome = isBuildOutcome(result.status) ? result.status : undefined;
      const row = rows.get(result.row);
      const key = keys.get(result.row);
      if (!outcome || !row || !key) return; // not a build (skipped, not started): no result
      const d = result.durationsMs;
      const write = recorder.record({
        key,
        row: row.row,
        cloneUrl: row.cloneUrl,
        ...(result.commit ? { commit: result.commit } : {}),
        fingerprint: rowFingerprint(row, version),
        outcome,
        ...(outcome !== "ok" && result.failedStep ? { step: result.failedStep } : {}),
        repository: row.path,
        durations: {
          ...(d.sync !== undefined ? { syncMs: d.sync } : {}),
          ...(d.build !== undefined ? { buildMs: d.build } : {}),
          ...(d.publish !== undefined ? { publishMs: d.publish } : {}),
        },
        finishedAt: new Date().toISOString(),
        ...(result.logs.buildLog || result.logs.syncLog ? { logs: (result.logs.buildLog ?? result.logs.syncLog) as string } : {}),
        ...(result.reason ? { error: result.reason.split("\n")[0] as string } : {}),
        ...causeOf(result),
        ...(result.trace ? { trace: result.trace } : {}),
        ...(result.remedy ? { remedy: result.remedy } : {}),
        ...memoryOf(result, memoryMiB),
        ...(result.trace?.reproducible !== undefined ? { reproducible: result.trace.reproducible } : {}),
      });
      writes.push(
        write.catch((error: unknown) =>
          logger.warn(
            { row: row.row, error: (error as Error).message },
            "could not write the result record; the next write carries this repository too",
          ),
        ),
      );
    },
    flush: () => Promise.all(writes).then(() => undefined),
  };
}

/** Check the csv (read once) against the plan and open this partition's result record. */
async function planned(
  store: StateStore,
  runId: string,
  manifest: ManifestHead,
  part: ManifestPartition,
  csv: string,
  limits: RecorderLimits,
) {
  const { identity, source } = await readCsvOnce(csv);
  checkManifestCsv(manifest, identity);
  const recorder = await openResultRecorder(store, runId, part.partition, limits);
  const keys = new Map(part.rows.map((r) => [r.row, r.key] as const));
  const read = await selectRows(
    source(),
    part.rows.map((r) => r.row),
    { mode: "lenient" },
  );
  return { recorder, keys, read };
}

/**
 * Open the plan at `location` for this job (array index from the environment), refuse a csv that changed since
 * it was planned (StateError PLAN_CSV_CHANGED, exit 2), and leave out what an earlier attempt built ok. The result
 * writes stop at the run's deadline and shortly after the first SIGTERM (`limits`).
 */
export async function openPlanRun(
  location: string,
  csv: string,
  partitions: string,
  env: Env,
  logger: Logger,
  limits: RecorderLimits = {},
  memoryMiBPerBuild?: number,
): Promise<PlanRun> {
  // An array child runs the partition of its index; a plain job the one `--partitions` names, else the first.
  const {
    store,
    runId,
    manifest,
    partition: part,
  } = await openPlanPartition(location, arrayIndexFromEnv(env) ?? 0, {
    partitions,
    env,
    onWarning: (message) => logger.warn({ plan: location }, message),
  });
  try {
    const userId = await resultSession(location, env, logger);
    const { recorder, keys, read } = await planned(store, runId, manifest, part, csv, { ...limits, ...(userId ? { userId } : {}) });
    const todo = read.repos.filter((r) => !recorder.isDone(keys.get(r.row) ?? ""));
    const rowNumbers = part.rows.map((r) => r.row);
    const hooks = recorderHooks(recorder, keys, new Map(todo.map((r) => [r.row, r] as const)), logger, memoryMiBPerBuild);
    return {
      runId,
      partition: part.partition,
      rows: {
        range: { start: Math.min(...rowNumbers), end: Math.max(...rowNumbers), partition: part.partition },
        repos: todo,
        skipped: [],
      },
      alreadyDone: read.repos.length - todo.length,
      predictedMs: new Map(part.rows.map((r) => [r.row, r.predictedMs] as const)),
      remedies: new Map(part.rows.flatMap((r) => (r.remedy ? [[r.row, r.remedy] as const] : []))),
      begin: async (command) => {
        hooks.setVersion(await cliVersion(command, env));
      },
      onResult: (result) => hooks.onResult(result),
      close: async () => {
        await hooks.flush();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
