import { DEFAULTS } from "@mass-ingest/contract";

/**
 * Share of the processor job timeout (`DEFAULTS.processorTimeoutSeconds`) a partition's predicted time may fill:
 * the rest is head room for predictions that were too low, image pull and log upload.
 */
export const TIME_BUDGET_SHARE = DEFAULTS.timeBudgetShare;

/** Default `--time-budget`: 80 % of the processor job timeout (48 min for a 1-hour timeout). */
export const DEFAULT_TIME_BUDGET_MS = DEFAULTS.timeBudgetMs;

/** Default `--max-age`: a repository built longer ago than this is built again even when nothing changed. */
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Predicted sync+build+publish time of a repository when no repository of the state has a known duration:
 * 10 minutes (deliberately above the typical few minutes, so a first plan errs on more, shorter partitions).
 */
export const DEFAULT_PREDICTED_MS = 10 * 60 * 1000;

/** Parallel `git ls-remote` calls. */
export const DEFAULT_LS_REMOTE_CONCURRENCY = DEFAULTS.lsRemoteConcurrency;

/** Milliseconds one `git ls-remote` may take before it is killed (counted as a "timeout": the repository is built). */
export const DEFAULT_LS_REMOTE_TIMEOUT_MS = DEFAULTS.lsRemoteTimeoutMs;

/** A local state lock older than this is taken over (its holder is presumed dead). */
export const DEFAULT_LOCK_STALE_MS = 10 * 60 * 1000;
