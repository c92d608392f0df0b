/** Share of the processor job timeout a partition's predicted time may fill (the rest is head room). */
const TIME_BUDGET_SHARE = 0.8;
const PROCESSOR_TIMEOUT_SECONDS = 3600;

/**
 * Defaults more than one app uses. The processor, the chunker, the partition CLI and the infra app's config
 * schema all read them from here.
 */
export const DEFAULTS = {
  /** Rows (repositories) per partition of a plan: one array child each. */
  partitionSize: 50,
  /** Seconds one `mod build` may take before its whole process tree is killed (BUILD_TIMEOUT). */
  buildTimeoutSeconds: 2700,
  /** vCPUs of one processor container (the infra default; the report's vCPU-hours use it). */
  processorVcpus: 4,
  /** Seconds AWS Batch lets one processor attempt run. */
  processorTimeoutSeconds: PROCESSOR_TIMEOUT_SECONDS,
  /** Share of the processor job timeout a partition's predicted time may fill (state's plan). */
  timeBudgetShare: TIME_BUDGET_SHARE,
  /** Default `--time-budget` of a plan: 80 % of the processor job timeout (48 min for a 1-hour timeout). */
  timeBudgetMs: Math.floor(PROCESSOR_TIMEOUT_SECONDS * 1000 * TIME_BUDGET_SHARE),
  /** Seconds one `mod git sync` or `mod publish` may take (SYNC_TIMEOUT, PUBLISH_TIMEOUT). */
  stepTimeoutSeconds: 1800,
  /** Parallel `git ls-remote` calls of the state's change detection. */
  lsRemoteConcurrency: 32,
  /** Milliseconds one `git ls-remote` may take before it is killed. */
  lsRemoteTimeoutMs: 30_000,
  /** Earlier runs the run report's trends cover. */
  trendRuns: 14,
  /** Repositories per `mod` call (BATCH_SIZE). */
  batchSize: 1,
  /** Parallel syncs, builds, publishes, and synced groups waiting for a build slot. */
  concurrency: { sync: 2, build: 2, publish: 2, maxPending: 2 },
  /** The repos.csv the job definitions point at when the config names none (a path inside the image). */
  csv: "/app/repos.csv",
  /** Job name prefix of every job a run submits (JOB_NAME). */
  jobName: "mass-ingest",
  /** The worker image's work directory (DATA_DIR); the Dockerfile sets the same. */
  imageDataDir: "/var/moderne",
} as const;
