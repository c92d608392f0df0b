import { totalsOf, type RepoResult, type RunReport } from "./report.js";
import { failedUploads, formatSummary } from "./summary.js";
import { GroupRun, groupsOf, type Group } from "./group-run.js";
import { groupResults, internalErrorResults, skippedResult } from "./group-results.js";
import { LogUpload } from "./log-upload.js";
import type { PipelineOptions, PipelineResult } from "./options.js";
import { createRunContext, type RunContext } from "./run-context.js";
import { buildAndPublishStage, cleanupStage, syncStage } from "./stages.js";
import { planJdkRemedies, retryWithJdks, withRemedies, type JdkRemedy } from "./triage/remedy.js";

/** Time figures of the run, summed over its groups (see RunReport.overheadMsPerRepo / schedulingMsPerRepo). */
interface Timing {
  overheadMs: number;
  residualMs: number;
}

/**
 * One group through its stages: sync, build, publish, logs, clean-up; returns its rows' results. A build that
 * failed for a JDK the image has is built once more with it (`remedy`; not for such a retry itself).
 */
async function processGroup(context: RunContext, group: Group, timing: Timing, remedy = true): Promise<RepoResult[]> {
  const run = new GroupRun(context, group);
  const build = await syncStage(run);
  if (build) await buildAndPublishStage(run, build);
  const retries = remedy ? await planJdkRemedies(run) : new Map<number, JdkRemedy>();
  const kept = await cleanupStage(run);
  const wall = performance.now() - run.startedAt;
  timing.overheadMs += run.ownMs;
  timing.residualMs += Math.max(0, wall - run.waitedMs - run.childMs - run.ownMs);
  const results = groupResults(run, kept).map((r) => {
    const tonight = context.remedies?.get(r.row);
    return tonight ? { ...r, remedy: tonight } : r;
  });
  if (retries.size === 0) return results;
  return retryWithJdks(context, group, results, retries, (g) => processGroup(context, g, timing, false));
}

/** Every group at once (the stage limits decide what runs); one group's failure never stops the others. */
async function processGroups(context: RunContext, options: PipelineOptions, timing: Timing): Promise<RepoResult[]> {
  const results: RepoResult[] = [];
  const record = (result: RepoResult) => {
    results.push(result);
    context.emit({ type: "repo-done", result });
  };
  const groups = groupsOf(withRemedies(options.repos, context.remedies), context.limits.batchSize, context.workRoot);
  await Promise.all(
    groups.map((group) =>
      processGroup(context, group, timing).then(
        (done) => done.forEach(record),
        (error: unknown) => internalErrorResults(context, group, error).forEach(record),
      ),
    ),
  );
  for (const skip of options.skipped ?? []) record(skippedResult(context, skip));
  return results.sort((a, b) => a.row - b.row);
}

/**
 * Run repositories through sync -> sync-log -> build (timeout, whole tree killed) -> publish -> build-log ->
 * cleanup, in groups of `batchSize` rows, with the stages overlapping under separate limits. One group's failure
 * never stops the others. Writes the JSON report atomically to the data directory and uploads it with the log
 * zips when a log store is given.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const context = await createRunContext(options, startedAt);
  const timing: Timing = { overheadMs: 0, residualMs: 0 };
  const results = await processGroups(context, options, timing);
  const { limits, output } = context;
  const upload = new LogUpload(context, output.logStore, options.index);
  const { syncLog, buildLog } = await upload.zips(results);
  const repoCount = results.length || 1;
  const report: RunReport = {
    version: 1,
    index: options.index,
    ts: context.ts,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    published: output.publish,
    batchSize: limits.batchSize,
    concurrency: limits.concurrency,
    buildTimeoutMs: limits.buildTimeoutMs,
    totals: totalsOf(results),
    overheadMsPerRepo: Math.round((timing.overheadMs / repoCount) * 100) / 100,
    schedulingMsPerRepo: Math.round((timing.residualMs / repoCount) * 100) / 100,
    logs: { syncLog, buildLog, report: { local: context.files.report } },
    repos: results,
  };
  if (options.runId) report.runId = options.runId;
  if (output.store && output.publish) report.store = output.store;
  if (output.keepWorkDirs) report.workRoot = context.workRoot;
  const { signal } = options;
  if (signal?.aborted) report.interrupted = typeof signal.reason === "string" ? signal.reason : "aborted";
  await upload.report(report);
  return { report, reportFile: context.files.report, summary: formatSummary(report), failedUploads: failedUploads(report) };
}
