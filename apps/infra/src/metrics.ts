/**
 * The processor's CloudWatch embedded-metric-format metrics (written by `@mass-ingest/pipeline`'s EMF emitter), as
 * the dashboard and the alarms read them. The names must equal the emitter's (`EMF_NAMESPACE`, `EMF_REPO_METRICS`,
 * `EMF_STEP_METRICS` in packages/pipeline/src/metrics/emf.ts); runs.test.ts compares them.
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

const { namespace, dimensions } = RUN_METRICS;

/** A SEARCH expression over every run (`by: "run"`) or every run and partition of `metric` (dashboards only). */
export function search(metric: string, by: "run" | "partition", stat: string, periodSeconds: number): string {
  const schema = by === "run" ? `${namespace},${dimensions.runId}` : `${namespace},${dimensions.partition},${dimensions.runId}`;
  return `SEARCH('{${schema}} MetricName="${metric}"', '${stat}', ${periodSeconds})`;
}
