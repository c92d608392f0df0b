// Read by every define.ts for `--help` and by the settings parsers for their fallbacks: imports the contract's
// tables only (no library that acts on them), so `--help` stays fast (docs/benchmarks.md).
import { DEFAULTS } from "@mass-ingest/contract/env";

/**
 * The default of each chunker flag that has one value as its default, declared once: `--help` states these and
 * the settings parsers fall back to them, so the two cannot disagree (test/commands/flag-defaults.test.ts).
 * Durations are written as the flag takes them ("7d") and parsed by the flag's own parser. The shared ones come
 * from the contract's DEFAULTS; the libraries' own defaults (state, report) are checked against these in the test.
 */
export const FLAG_DEFAULTS = {
  /** `--partition-size` (PARTITION_SIZE). */
  partitionSize: DEFAULTS.partitionSize,
  /** `--job-name` (JOB_NAME). */
  jobName: DEFAULTS.jobName,
  /** `--executor`. */
  executor: "batch",
  /** `--parallel`: local partitions at once. */
  parallel: 2,
  /** `--concurrency`: parallel SubmitJob calls (per-partition mode). */
  concurrency: 8,
  /** `--interval`: seconds between polls of `--wait` and `status --wait`. */
  interval: 30,
  /** `--max-age`. */
  maxAge: "7d",
  /** `--drift-age`. */
  driftAge: "1d",
  /** `--time-budget`: 80 % of the processor job timeout. */
  timeBudget: `${DEFAULTS.timeBudgetMs / 60_000}m`,
  /** `--ls-remote-concurrency`. */
  lsRemoteConcurrency: DEFAULTS.lsRemoteConcurrency,
  /** `--ls-remote-timeout`. */
  lsRemoteTimeout: `${DEFAULTS.lsRemoteTimeoutMs / 1000}s`,
  /** `--quarantine-after`: failing nights in a row. */
  quarantineAfter: 3,
  /** `--quarantine-every`. */
  quarantineEvery: "7d",
  /** `--rollout-nights`. */
  rolloutNights: 7,
  /** `--mod-cli` (MOD_CLI): `mod` on PATH. */
  modCli: "mod",
  /** `report --trends`. */
  trends: DEFAULTS.trendRuns,
  /** `report --vcpus`. */
  vcpus: DEFAULTS.processorVcpus,
  /** `report --freshness-target`. */
  freshnessTarget: "24h",
} as const;
