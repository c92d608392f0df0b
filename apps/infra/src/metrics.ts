/**
 * The processor's CloudWatch embedded-metric-format metrics, as the dashboard and the alarms read them. The
 * emitter in the processor must use exactly these names (namespace, metric names, dimension set RunId+Partition).
 */
export const RUN_METRICS = {
  namespace: "MassIngest",
  /** Every metric is emitted with both dimensions (one datum per partition of a run). */
  dimensions: { runId: "RunId", partition: "Partition" },
  /** Repositories by outcome, per partition (Count). */
  repos: { ok: "ReposOk", failed: "ReposFailed", timedOut: "ReposTimedOut", unchanged: "ReposUnchanged" },
  /** Step durations per repository (Milliseconds). */
  durations: { sync: "SyncMs", build: "BuildMs", publish: "PublishMs" },
} as const;

const { namespace, dimensions } = RUN_METRICS;

/** A SEARCH expression over every run and partition of `metric` (dashboards; alarms cannot use SEARCH). */
export function searchAll(metric: string, stat: string, periodSeconds: number): string {
  return `SEARCH('{${namespace},${dimensions.partition},${dimensions.runId}} MetricName="${metric}"', '${stat}', ${periodSeconds})`;
}

/** A Metrics Insights query: `metric` summed over every run and partition (one series; alarms accept it). */
export function insightsSum(metric: string): string {
  return `SELECT SUM(${metric}) FROM SCHEMA("${namespace}", ${dimensions.partition}, ${dimensions.runId})`;
}
