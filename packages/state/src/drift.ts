/**
 * Drift: a repository whose last build the Moderne CLI called not reproducible (dynamic dependency versions, no
 * lock file; repos-lock.csv `reproducible=false`) can resolve other dependencies tomorrow without a new commit, so
 * it is built again once its last build is older than the drift age. Pure.
 */
import type { StateEntry } from "./records.js";

/** Default `--drift-age`: a not-reproducible build is redone after 1 day even without a new commit. */
export const DEFAULT_DRIFT_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * True when `last` was an ok build the CLI reported not reproducible and it finished more than `driftAgeMs` before
 * `now` (an unparseable finish time counts as due). Unknown reproducibility (older entries, no verdict) never drifts.
 */
export function driftDue(last: StateEntry, now: Date, driftAgeMs: number = DEFAULT_DRIFT_AGE_MS): boolean {
  if (last.reproducible !== false) return false;
  const age = now.getTime() - Date.parse(last.finishedAt);
  return !(age <= driftAgeMs);
}
