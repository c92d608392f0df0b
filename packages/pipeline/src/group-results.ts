import type { GroupRun, Group } from "./group-run.js";
import type { RepoResult, StepName } from "./report.js";
import type { RunContext } from "./run-context.js";
import type { SkippedRow } from "./options.js";

/** One result per row of a finished group: the group's steps, status and reason; logs where they went. */
export function groupResults(run: GroupRun, keptWorkDir: boolean): RepoResult[] {
  const { group, steps, context } = run;
  const durationsMs: RepoResult["durationsMs"] = {};
  const exitCodes: RepoResult["exitCodes"] = {};
  for (const s of steps) {
    durationsMs[s.step] = s.durationMs;
    exitCodes[s.step] = s.exitCode;
  }
  const ran = (step: StepName) => steps.some((s) => s.step === step && s.exitCode === 0);
  return group.rows.map((row) => {
    const own = run.rowFailures.get(row.row);
    const result: RepoResult = {
      row: row.row,
      cloneUrl: context.redact(row.cloneUrl),
      origin: row.origin,
      path: row.path,
      group: group.id,
      status: own?.status ?? run.status,
      steps: steps.map((s) => ({ ...s })),
      durationsMs: { ...durationsMs },
      exitCodes: { ...exitCodes },
      logs: {},
    };
    if (row.branch) result.branch = row.branch;
    const commit = run.commits.get(row.row);
    if (commit) result.commit = commit;
    const failedStep = own?.failedStep ?? run.failedStep;
    if (failedStep) result.failedStep = failedStep;
    const reason = own?.reason ?? run.reason;
    if (reason) result.reason = context.redact(reason);
    if (run.interrupted) result.interrupted = true;
    if (ran("sync-log")) result.logs.syncLog = context.files.syncLog;
    if (ran("build-log")) result.logs.buildLog = context.files.buildLog;
    if (keptWorkDir) result.logs.workDir = group.dir;
    const trace = run.traces.get(row.row);
    if (trace) result.trace = trace;
    return result;
  });
}

/** Results of a group whose processing threw (an error in our own code: disk full, ...): its rows failed. */
export function internalErrorResults(context: RunContext, group: Group, error: unknown): RepoResult[] {
  const message = (error as Error)?.message ?? String(error);
  return group.rows.map((row) => ({
    row: row.row,
    cloneUrl: context.redact(row.cloneUrl),
    origin: row.origin,
    path: row.path,
    group: group.id,
    status: "failed",
    reason: context.redact(`internal error: ${message}`),
    steps: [],
    durationsMs: {},
    exitCodes: {},
    logs: {},
  }));
}

/** The result of a row the caller already knew could not run. */
export function skippedResult(context: RunContext, skip: SkippedRow): RepoResult {
  return {
    row: skip.row,
    ...(skip.cloneUrl ? { cloneUrl: context.redact(skip.cloneUrl) } : {}),
    group: `row-${skip.row}`,
    status: "skipped",
    reason: context.redact(skip.reason),
    steps: [],
    durationsMs: {},
    exitCodes: {},
    logs: {},
  };
}
