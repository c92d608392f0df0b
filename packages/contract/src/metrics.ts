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
  /**
   * Failed and timed-out repositories by failure cause (docs/triage.md) and the step that failed (Count), written
   * only for the causes that occurred, with the dimension sets [Cause], [Cause, Step] and [RunId, Cause, Step].
   */
  failures: { metric: "ReposFailedByCause", dimensions: { cause: "Cause", step: "Step" } },
} as const;
