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
  processorTimeoutSeconds: 3600,
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
