/**
 * The run's CloudWatch metrics (embedded metric format), as the processor writes them and the infra app's
 * dashboard and alarms read them: one definition, so the two cannot drift apart.
 */
export const RUN_METRICS = {
  namespace: "MassIngest",
  /** Each datum is emitted with three dimension sets: none (totals), RunId, and RunId + Partition. */
  dimensions: { runId: "RunId", partition: "Partition" },
  /** Repositories by outcome (Count). */
  repos: {
    ok: "ReposOk",
    failed: "ReposFailed",
    timedOut: "ReposTimedOut",
    unchanged: "ReposUnchanged",
    skipped: "ReposSkipped",
    notStarted: "ReposNotStarted",
  },
  /** Step durations, one value per `mod` call (Milliseconds). */
  durations: { sync: "SyncDuration", build: "BuildDuration", publish: "PublishDuration" },
} as const;
