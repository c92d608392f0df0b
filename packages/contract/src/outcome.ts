/**
 * The run's vocabulary: one spelling for each repository outcome, each step, a skipped row and a row range. The
 * pipeline, the state, the report and the metrics all use these names; where a published value is spelled
 * differently (a metric name, a field of a record already on disk), the mapping lives next to that value and
 * starts from these.
 */

/**
 * Final outcome of one repository in a run.
 * - `ok`: synced, built and (when a store is configured) published.
 * - `failed`: a step failed.
 * - `timed-out`: a step ran past its timeout and was killed.
 * - `skipped`: not run (an invalid row, or a run interrupted while the repository was under way).
 * - `not-started`: the run was interrupted before the repository's first step.
 */
export const REPO_OUTCOMES = ["ok", "failed", "timed-out", "skipped", "not-started"] as const;
export type RepoOutcome = (typeof REPO_OUTCOMES)[number];

/** The outcomes a finished build leaves in the run state (the others are not builds). */
export const BUILD_OUTCOMES = ["ok", "failed", "timed-out"] as const;
export type BuildOutcome = (typeof BUILD_OUTCOMES)[number];

/** The steps a group of repositories goes through, in order. */
export const STEP_NAMES = ["sync", "sync-log", "build", "publish", "build-log"] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** The steps that run the Moderne CLI on the repositories themselves (the log steps only collect logs). */
export const MOD_STEPS = ["sync", "build", "publish"] as const;
export type ModStep = (typeof MOD_STEPS)[number];

/** A range of repos.csv data rows as the processor's `--start` / `--end` take them (inclusive). */
export interface RowRange {
  start: number;
  end: number;
}

/** A row that was not run, and why. */
export interface SkippedRow {
  /** 1-based data row of repos.csv. */
  row: number;
  /** Why it was skipped, for a person. */
  reason: string;
  /** The row's clone URL as written, credentials masked, when it had one. */
  cloneUrl?: string;
}

/** True for an outcome a finished build leaves in the run state. */
export function isBuildOutcome(value: string): value is BuildOutcome {
  return (BUILD_OUTCOMES as readonly string[]).includes(value);
}
