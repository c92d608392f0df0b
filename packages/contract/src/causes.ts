/**
 * Why a repository failed: one cause per failed repository, from its trace outcome, its failed step, how it ended
 * (exit or timeout) and its log's meaningful lines. The rule table that assigns them lives in
 * `@mass-ingest/pipeline` (triage); the names here are what the result records, the report and the metrics carry.
 *
 * - `auth`: 401/403 from the git host or a dependency repository.
 * - `not-found`: the repository or branch is gone.
 * - `toolchain`: a missing JDK or wrapper, an unsupported class file version.
 * - `memory`: an OOM kill or an `OutOfMemoryError`.
 * - `timeout`: a step ran past its timeout.
 * - `disk`: no space left on the device.
 * - `transient`: a Spot reclaim, a 5xx or connection reset on sync or publish, a rate limit.
 * - `build`: a genuine compile or test failure.
 * - `unknown`: none of the above matched.
 */
export const FAILURE_CAUSES = ["auth", "not-found", "toolchain", "memory", "timeout", "disk", "transient", "build", "unknown"] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** Causes that a retry in the same run can fix (the others are not retried tonight). */
export const RETRYABLE_CAUSES: readonly FailureCause[] = ["transient"];

/** True when `value` names a failure cause. */
export function isFailureCause(value: string): value is FailureCause {
  return (FAILURE_CAUSES as readonly string[]).includes(value);
}
