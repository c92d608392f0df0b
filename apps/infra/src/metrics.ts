import { RUN_METRICS } from "@mass-ingest/contract";

/*
 * The processor's CloudWatch embedded-metric-format metrics as the dashboard and the alarms read them: the
 * contract's RUN_METRICS, which the pipeline's EMF emitter writes; runs.test.ts compares them.
 */
const { namespace, dimensions } = RUN_METRICS;

/** A SEARCH expression over every run (`by: "run"`) or every run and partition of `metric` (dashboards only). */
export function search(metric: string, by: "run" | "partition", stat: string, periodSeconds: number): string {
  const schema = by === "run" ? `${namespace},${dimensions.runId}` : `${namespace},${dimensions.partition},${dimensions.runId}`;
  return `SEARCH('{${schema}} MetricName="${metric}"', '${stat}', ${periodSeconds})`;
}
