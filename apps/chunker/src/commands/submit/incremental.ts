import { CHUNKER_ENV } from "@mass-ingest/contract";
import { publishAlert } from "@mass-ingest/core/aws";
import { checkManifestCsv, StateError, type PreparedRun, type RunManifest, type StateStore } from "@mass-ingest/state";
import type { Io } from "../../io.js";
import { minutes, openStore } from "../../state/store.js";
import { submitToBatch } from "./batch-submit.js";
import { manifestPlan, plannedSubmission } from "./dry-run.js";
import { runPartitionsLocally } from "./local-run.js";
import { emitSelectionMetrics } from "./selection-metrics.js";
import { parallelismOf, prepareIncremental } from "./prepare.js";
import type { SubmitCsv } from "./read-plan.js";
import type { SubmitSettings } from "./settings.js";

/** `submit` with a state store: select and plan from the state, record the run, then run or submit its partitions. */
export async function incrementalSubmit(settings: SubmitSettings, csvPlan: SubmitCsv, io: Io): Promise<number> {
  // the run's jobs (to check per-task result records) are in the queue a Batch submit names; else JOB_QUEUE, if any
  const jobs = settings.executor === "batch" && !settings.dryRun ? { jobQueue: settings.jobQueue, jobName: settings.jobName } : {};
  const store = openStore(settings.state as string, io.logger, io.env, jobs);
  try {
    const earlier = settings.dryRun ? undefined : await plannedBefore(settings, csvPlan, store, io);
    if (earlier)
      return await launchPlanned(settings, csvPlan.plan.rowCount, earlier, store.location(`runs/${settings.runId}/manifest.json`), io);
    const prepared = await prepareIncremental(settings, csvPlan, store, io);
    if (settings.dryRun) return incrementalDryRun(settings, store, prepared, io);
    const location = prepared.location as string; // recorded by prepareIncremental (not a dry run)
    await raiseAlert(prepared, io);
    await emitSelectionMetrics({ runId: settings.runId, unchanged: prepared.selection.counts.unchanged }, io.env);
    return await launchPlanned(settings, csvPlan.plan.rowCount, prepared.manifest, location, io);
  } finally {
    store.close();
  }
}

/**
 * The manifest of this run id when it was planned before (a resubmit, or a local run started again after it was
 * stopped): reused as is, so running partitions keep their rows and finished repositories are not built again.
 * A csv that changed since is refused.
 */
async function plannedBefore(settings: SubmitSettings, csvPlan: SubmitCsv, store: StateStore, io: Io): Promise<RunManifest | undefined> {
  let manifest: RunManifest;
  try {
    manifest = await store.readManifest(settings.runId);
  } catch (error) {
    if (error instanceof StateError && error.code === "PLAN_NOT_FOUND") return undefined;
    throw error;
  }
  checkManifestCsv(manifest, { rowCount: csvPlan.plan.rowCount, sha256: csvPlan.sha256 });
  io.logger.info(
    { runId: settings.runId, partitions: manifest.partitions.length },
    `run ${settings.runId} was planned before: running its plan again (repositories finished ok are not built again)`,
  );
  return manifest;
}

/** Run a recorded plan: its partitions on this machine (local executor) or as AWS Batch array children. */
export async function launchPlanned(
  settings: SubmitSettings,
  rowCount: number,
  manifest: RunManifest,
  location: string,
  io: Io,
): Promise<number> {
  const count = manifest.partitions.length;
  if (count === 0) {
    io.stdout(
      settings.json
        ? JSON.stringify({ runId: settings.runId, state: settings.state, partitions: 0, built: 0 }, null, 2)
        : `run ${settings.runId}: nothing to build (every repository unchanged)`,
    );
    return 0;
  }
  const plan = manifestPlan(settings, rowCount, { location, partitions: count });
  if (settings.executor === "local") {
    const repos = new Map(manifest.partitions.map((p) => [p.partition, p.rows.length]));
    return runPartitionsLocally(settings, { manifest: plan, repos }, io);
  }
  return submitToBatch(settings, plannedSubmission(settings, plan), io);
}

/** `submit --dry-run` with a state store: the counts, the predicted makespan and the partitions; records nothing. */
function incrementalDryRun(settings: SubmitSettings, store: StateStore, prepared: PreparedRun, io: Io): number {
  const { manifest, selection, lsRemote, warnings } = prepared;
  const c = selection.counts;
  const out = {
    dryRun: true,
    runId: settings.runId,
    executor: settings.executor,
    state: store.url,
    counts: {
      neverBuilt: c.neverBuilt,
      changed: c.changed,
      failedLastTime: c.failedLastTime,
      stale: c.stale,
      drift: c.drift ?? 0,
      fingerprintChanged: c.fingerprintChanged,
      unknown: c.unknown,
      full: c.full,
      unchanged: c.unchanged,
      quarantined: c.quarantined ?? 0,
      rolloutPending: c.rolloutPending ?? 0,
    },
    quarantined: selection.quarantined,
    rollout: prepared.rollout.rollout ? { status: prepared.rollout.rollout.status, alert: prepared.rollout.alert ?? null } : null,
    toBuild: selection.build.length,
    lsRemote,
    timeBudgetMs: manifest.timeBudgetMs,
    predictedMakespanMs: manifest.predictedMakespanMs,
    predictedMakespan: minutes(manifest.predictedMakespanMs),
    parallelism: parallelismOf(settings) ?? null,
    warnings,
    partitions: manifest.partitions.map((p) => ({ partition: p.partition, predictedMs: p.predictedMs, rows: p.rows.map((r) => r.row) })),
  };
  io.stdout(JSON.stringify(out, null, 2));
  return 0;
}

/** The stopped rollout's one alert (recorded with the run, so it is raised once): to ALERTS_TOPIC_ARN when set. */
async function raiseAlert(prepared: PreparedRun, io: Io): Promise<void> {
  const alert = prepared.rollout.alert;
  const topic = io.env[CHUNKER_ENV.alertsTopicArn.name]?.trim();
  if (!alert || !topic) return;
  const sent = await publishAlert(
    topic,
    { subject: "mass-ingest: fingerprint rollout stopped", message: alert },
    {
      onError: (error) =>
        io.logger.warn({ topic, err: error }, `could not send the rollout alert to ${topic}: ${(error as Error).message}`),
    },
  );
  if (sent) io.logger.info({ topic }, `rollout alert sent to ${topic}`);
}
