/**
 * Defaults that `--help` states, as plain numbers: the libraries that own them (@mass-ingest/state,
 * @mass-ingest/report) load the AWS SDK and the chart library, which `--help` must not wait for.
 * test/commands/help-defaults.test.ts keeps them equal to the libraries' constants.
 */
import { DEFAULTS } from "@mass-ingest/contract";

export const HELP_DEFAULTS = {
  /** @mass-ingest/state DEFAULT_TIME_BUDGET_MS, in minutes. */
  timeBudgetMinutes: 48,
  /** @mass-ingest/state DEFAULT_LS_REMOTE_CONCURRENCY. */
  lsRemoteConcurrency: 32,
  /** @mass-ingest/state DEFAULT_LS_REMOTE_TIMEOUT_MS, in seconds. */
  lsRemoteTimeoutSeconds: 30,
  /** @mass-ingest/report DEFAULT_TREND_RUNS. */
  trendRuns: 14,
  /** The processor job definition's vCPUs (report settings' DEFAULT_PROCESSOR_VCPUS). */
  processorVcpus: DEFAULTS.processorVcpus,
} as const;
