import { countOf } from "@mass-ingest/contract";
import type { ManifestPlan } from "@mass-ingest/batch";
import type { CsvPlan } from "@mass-ingest/partition";
import type { Io } from "../../io.js";
import { createProgress } from "../../progress.js";
import { reportAfterRun } from "../report/after-run.js";
import { runLocal, type LocalPartitionResult, type LocalRangeInput, type LocalRunResult } from "./local-executor.js";
import type { CommonSettings, LocalSettings, StateSettings, SubmitSettings } from "./settings.js";

function summaryOf(runId: string, result: LocalRunResult) {
  return {
    runId,
    executor: "local",
    exitCode: result.exitCode,
    succeeded: result.succeeded,
    failed: result.failed,
    failedPartitions: result.partitions
      .filter((p) => !p.ok)
      .map((p) => ({
        partition: p.partition,
        start: p.start,
        end: p.end,
        exitCode: p.exitCode,
        signal: p.signal,
        skipped: p.skipped,
        output: p.output,
      })),
  };
}

/** `submit --executor local`: run every partition with the processor on this machine; exit code of the run. */
export function localRun(settings: SubmitSettings, csvPlan: CsvPlan, io: Io): Promise<number> {
  const { partitions, rowCount } = csvPlan.plan;
  return runPartitionsLocally(settings, { ranges: { partitions, rowCount, partitionSize: settings.partitionSize } }, io);
}

/**
 * What the local executor runs, in the two kinds AWS Batch submits: row ranges (a child per range), or a run
 * manifest (a child per planned partition) with each partition's repositories, by partition number, for the run's line.
 */
export type LocalWork =
  | { ranges: Omit<LocalRangeInput, "manifest">; manifest?: never }
  | { manifest: ManifestPlan; repos: ReadonlyMap<number, number>; ranges?: never };

const repositories = (n: number) => countOf(n, "repository", "repositories");

/**
 * The run's line in words: `run R (local): 5 repositories in 3 partitions: 2 partitions succeeded (4 repositories),
 * 1 failed (1 repository)`, and the partitions never started when the run was stopped.
 */
function localRunLine(runId: string, result: LocalRunResult, work: LocalWork): string {
  const repos = work.manifest ? work.repos : new Map(work.ranges.partitions.map((p) => [p.partition, Math.max(0, p.end - p.start + 1)]));
  const reposOf = (p: LocalPartitionResult) => repos.get(p.partition) ?? 0;
  const sum = (list: LocalPartitionResult[]) => list.reduce((n, p) => n + reposOf(p), 0);
  const ok = result.partitions.filter((p) => p.ok && !p.skipped);
  const skipped = result.partitions.filter((p) => p.skipped);
  const failed = result.partitions.filter((p) => !p.ok && !p.skipped);
  const all = result.partitions.length;
  return (
    `run ${runId} (local): ${repositories(sum(result.partitions))} in ${countOf(all, "partition", "partitions")}: ` +
    `${countOf(ok.length, "partition", "partitions")} succeeded (${repositories(sum(ok))}), ${failed.length} failed (${repositories(sum(failed))})` +
    (skipped.length ? `, ${skipped.length} not started (${repositories(sum(skipped))})` : "")
  );
}

/** Run the partitions with the processor on this machine, a progress bar, then the summary; exit code of the run. */
export async function runPartitionsLocally(
  settings: CommonSettings & LocalSettings & Pick<StateSettings, "state">,
  work: LocalWork,
  io: Io,
): Promise<number> {
  const { runId } = settings;
  const progress = createProgress(io.logger);
  progress.start(work.manifest ? work.manifest.partitions : work.ranges.partitions.length, `run ${runId} (local)`);
  let failed = 0;
  try {
    const result = await runLocal({
      ...(work.manifest ? { manifest: work.manifest } : work.ranges),
      csv: settings.childCsv,
      runId,
      parallel: settings.parallel,
      ...(settings.processor ? { command: settings.processor } : {}),
      signal: io.signal,
      logger: io.logger,
      onPartitionDone: (r, done) => {
        if (!r.ok && !r.skipped) failed++;
        progress.update(done, { failed });
      },
    });
    progress.stop();
    // A run from a plan in the state store: its report (HTML + JSON) next to the run's records.
    const report = settings.state && work.manifest ? await reportAfterRun(settings.state, runId, io) : undefined;
    io.stdout(
      settings.json
        ? JSON.stringify({ ...summaryOf(runId, result), ...(report ? { report } : {}) }, null, 2)
        : `${localRunLine(runId, result, work)}${report ? `\nreport: ${report}` : ""}`,
    );
    return result.exitCode;
  } finally {
    progress.stop();
  }
}
