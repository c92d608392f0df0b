import { openCsv } from "@mass-ingest/core/aws";
import { countOf } from "@mass-ingest/contract";
import { derivedSummary, readRepos } from "@mass-ingest/partition";
import {
  cliVersion,
  importReposLock,
  prepareRun,
  readReposLock,
  UNKNOWN_CLI_VERSION,
  type PreparedRun,
  type StateStore,
} from "@mass-ingest/state";
import type { Io } from "../../io.js";
import { gitEnvFor } from "../../state/git-env.js";
import { minutes } from "../../state/store.js";
import type { SubmitCsv } from "./read-plan.js";
import { maxStaleFor, type CommonSettings, type LocalSettings, type StateSettings } from "./settings.js";

/** The Moderne CLI version for the fingerprints; a warning when it cannot be run (every repository then counts as changed). */
async function versionOf(settings: Pick<StateSettings, "modCli">, io: Io): Promise<string> {
  const version = await cliVersion(settings.modCli, io.env);
  if (version === UNKNOWN_CLI_VERSION) {
    io.logger.warn(
      { modCli: settings.modCli },
      `Cannot run "${settings.modCli} --version": the fingerprints use CLI version "${UNKNOWN_CLI_VERSION}", so repositories built with a known version count as fingerprint changed. Pass --mod-cli (or MOD_CLI) naming the processors' Moderne CLI.`,
    );
  }
  return version;
}

/**
 * The partitions that run at once: --workers, else --parallel for the local executor, else unknown (Batch: one
 * worker per partition, the array size). The plan's predicted makespan is for this many workers.
 */
export function parallelismOf(
  settings: Pick<CommonSettings, "executor"> & Pick<StateSettings, "workers"> & LocalSettings,
): number | undefined {
  if (settings.workers > 0) return settings.workers;
  return settings.executor === "local" ? settings.parallel : undefined;
}

/**
 * How the time plan is shaped for the workers (docs/incremental.md): Batch cuts the last round small so its many
 * workers end together; the local executor keeps whole partitions (its few processes gain nothing from more).
 */
export function workersOf(settings: Pick<CommonSettings, "executor"> & Pick<StateSettings, "workers"> & LocalSettings): {
  parallelism?: number;
  cutLastRound?: boolean;
} {
  const parallelism = parallelismOf(settings);
  if (!parallelism) return {};
  return { parallelism, ...(settings.executor === "local" ? { cutLastRound: false } : {}) };
}

/**
 * Select and plan the run from the state (state's prepareRun): the csv's valid rows, its checksum (taken by readPlan),
 * the CLI version, `git ls-remote` with the processors' git credentials. Unless a dry run, the run is recorded in the
 * same read-decide-write (the prepared run's `location`). Logs the counts, the ls-remote pass and the planner warnings.
 */
export async function prepareIncremental(
  settings: CommonSettings & LocalSettings & StateSettings,
  csvPlan: SubmitCsv,
  store: StateStore,
  io: Io,
): Promise<PreparedRun> {
  const { repos, derived } =
    csvPlan.repos !== undefined
      ? { repos: csvPlan.repos, derived: csvPlan.derived }
      : await readRepos(await openCsv(settings.csv), { mode: "lenient" });
  const notice = derivedSummary(derived);
  if (notice !== undefined) io.logger.info({ csv: settings.csv, rows: derived?.length }, notice);
  const version = await versionOf(settings, io);
  if (settings.importLock !== undefined) {
    const lock = await readReposLock(settings.importLock);
    const seeded = await importReposLock(store, repos, lock, { cliVersion: version, now: new Date() });
    io.logger.info(
      {
        lock: settings.importLock,
        seeded: seeded.entries.length,
        notSeeded: seeded.notSeeded.length,
        otherCliVersion: seeded.otherCliVersion.length,
      },
      `state seeded from ${settings.importLock}: ${countOf(seeded.entries.length, "repository", "repositories")} as built (${seeded.otherCliVersion.length} by another CLI version, rebuilt), ${seeded.notSeeded.length} not in the lock as published`,
    );
  }
  const git = await gitEnvFor(io.env, io.logger);
  const maxStale = maxStaleFor(settings.maxStale, repos.length, settings.maxAgeMs);
  try {
    const prepared = await prepareRun(store, repos, {
      runId: settings.runId,
      csv: { location: settings.childCsv, rowCount: csvPlan.plan.rowCount, sha256: csvPlan.sha256 },
      cliVersion: version,
      maxAgeMs: settings.maxAgeMs,
      ...(maxStale !== undefined ? { maxStale, fillStale: settings.fillStale } : {}),
      driftAgeMs: settings.driftAgeMs,
      full: settings.full,
      timeBudgetMs: settings.timeBudgetMs,
      partitionSize: settings.partitionSize,
      ...workersOf(settings),
      quarantine: { after: settings.quarantineAfter, cadenceMs: settings.quarantineEveryMs },
      rollout: settings.rolloutNights > 0 ? { nights: settings.rolloutNights } : false,
      // one read of state.json (under the lock / with its ETag) and, unless a dry run, one write of it with the run
      record: !settings.dryRun,
      lsRemote: { concurrency: settings.lsRemoteConcurrency, timeoutMs: settings.lsRemoteTimeoutMs, env: git.env },
    });
    const { counts, build } = prepared.selection;
    const ls = prepared.lsRemote;
    io.logger.info(
      { state: store.url, counts, lsRemote: ls, cliVersion: version },
      `state ${store.url}: ${build.length} to build, ${counts.unchanged} unchanged; ls-remote ${ls.calls} call(s) in ${(ls.ms / 1000).toFixed(1)} s (${ls.failed} failed: built)`,
    );
    for (const warning of prepared.warnings) io.logger.warn({ state: store.url }, warning);
    reportTriage(prepared, io);
    io.logger.info(
      {
        partitions: prepared.manifest.partitions.length,
        predictedMakespanMs: prepared.manifest.predictedMakespanMs,
        timeBudgetMs: settings.timeBudgetMs,
      },
      `planned ${prepared.manifest.partitions.length} partition(s) by time, predicted makespan ${minutes(prepared.manifest.predictedMakespanMs)} (budget ${minutes(settings.timeBudgetMs)})`,
    );
    return prepared;
  } finally {
    await git.dispose();
  }
}

/** Logs what selection held back (quarantined, rollout pending) and the rollout's one alert; nothing goes unsaid. */
function reportTriage(prepared: PreparedRun, io: Io): void {
  const { quarantined } = prepared.selection;
  for (const q of quarantined) {
    io.logger.warn(
      { row: q.row, key: q.key, cause: q.cause, since: q.since },
      `row ${q.row} (${q.key}) quarantined: failing (${q.cause}) since ${q.since}`,
    );
  }
  const { rollout, deferred, alert } = prepared.rollout;
  if (rollout) {
    io.logger.info(
      { rollout: rollout.status, canary: rollout.canary.length, deferred: deferred.length },
      `fingerprint rollout ${rollout.status}: ${countOf(deferred.length, "repository waits", "repositories wait")} for a later night (canary of ${rollout.canary.length})`,
    );
  }
  if (alert) io.logger.error({ event: "rollout-stopped" }, alert);
}
