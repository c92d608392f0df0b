/**
 * The processor alone on a csv (`scripts/run.sh`, `processor:start`: no `--plan`, no range, not in AWS Batch) with
 * a state store (default `<DATA_DIR>/state`): the same select-and-plan step as the chunker's (state's prepareRun),
 * one partition holding every selected row, then a run from that plan. The second run builds only what changed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Logger } from "@mass-ingest/core";
import { ARRAY_INDEX_ENV, JOB_ID_ENV } from "@mass-ingest/contract";
import type { JobRows } from "@mass-ingest/partition";
import { prepareGitAuth, type SecretRedactor } from "@mass-ingest/pipeline";
import { cliVersion, foldPendingRuns, openStateStore, prepareRun, recordRun, type PreparedRun, type StateStore } from "@mass-ingest/state";
import { csvIdentity } from "./csv-identity.js";
import { openPlanRun, type PlanRun } from "./plan-run.js";
import type { ProcessorSettings } from "./settings.js";

type Env = Record<string, string | undefined>;

/** True when this run selects from the state itself: a state store, the whole csv, no plan, not an AWS Batch job. */
export function runsAlone(settings: ProcessorSettings, rows: JobRows, env: Env): boolean {
  return settings.state !== undefined && settings.plan === undefined && rows.range === undefined && !env[JOB_ID_ENV];
}

/** A run id for a run of the processor alone: `local-` and the UTC time. */
const aloneRunId = (now: Date) =>
  `local-${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}`;

/** Select and plan with the processors' git credentials for the ls-remote pass (files removed afterwards). */
async function prepare(
  store: StateStore,
  settings: ProcessorSettings,
  rows: JobRows,
  command: string,
  env: Env,
  redactor: SecretRedactor,
): Promise<PreparedRun> {
  const csv = settings.rows.csv;
  const dir = await mkdtemp(path.join(os.tmpdir(), "mass-ingest-ls-remote-"));
  try {
    const gitEnv = await prepareGitAuth({
      gitCredentials: settings.ingest.gitCredentials,
      sshKey: settings.ingest.sshKey,
      dir: path.join(dir, "auth"),
      redactor,
    });
    return await prepareRun(store, rows.repos, {
      runId: settings.ingest.runId ?? aloneRunId(new Date()),
      csv: { location: csv, ...(await csvIdentity(csv)) },
      cliVersion: await cliVersion(command, env),
      partitionSize: Math.max(1, rows.repos.length),
      timeBudgetMs: Number.MAX_SAFE_INTEGER,
      lsRemote: { env: gitEnv },
      ...(settings.selection?.full ? { full: true } : {}),
      ...(settings.selection?.maxAgeMs !== undefined ? { maxAgeMs: settings.selection.maxAgeMs } : {}),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Select from the state and record the run; undefined when nothing needs building (logged). The returned run
 * folds its results into the state when closed (this processor is the state's one writer here).
 */
export async function openAloneRun(
  settings: ProcessorSettings,
  rows: JobRows,
  command: string,
  env: Env,
  logger: Logger,
  redactor: SecretRedactor,
): Promise<PlanRun | undefined> {
  const store = openStateStore(settings.state as string, { env, onWarning: (message) => logger.warn({ state: settings.state }, message) });
  let plan: PlanRun | undefined;
  try {
    const prepared = await prepare(store, settings, rows, command, env, redactor);
    const { counts, build } = prepared.selection;
    logger.info(
      { state: store.url, counts, lsRemote: prepared.lsRemote },
      `state ${store.url}: ${build.length} to build, ${counts.unchanged} unchanged`,
    );
    if (build.length === 0) return undefined;
    const location = await recordRun(store, prepared);
    plan = await openPlanRun(location, settings.rows.csv, "all", { ...env, [ARRAY_INDEX_ENV]: undefined }, logger);
  } finally {
    if (!plan) store.close();
  }
  const opened = plan;
  return {
    ...opened,
    rows: { repos: opened.rows.repos, skipped: rows.skipped },
    close: async () => {
      await opened.close();
      try {
        await foldPendingRuns(store);
      } finally {
        store.close();
      }
    },
  };
}
