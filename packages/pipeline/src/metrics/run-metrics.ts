/** The processor's one call: EMF lines and/or a Prometheus endpoint for a run, behind one `RunMetrics`. */
import type { IngestEvent } from "../ingest-events.js";
import { createEmfMetrics } from "./emf.js";
import type { RunMetrics } from "./observe.js";
import { startPrometheusMetrics } from "./prometheus.js";

export interface RunMetricsOptions {
  runId: string;
  partition: string;
  /** Write EMF lines (on AWS Batch: to stdout, which the awslogs driver sends to CloudWatch Logs). */
  emf?: { write: (line: string) => void; namespace?: string };
  /** Serve Prometheus metrics on this port (METRICS_PORT / --metrics-port). */
  prometheus?: { port: number; host?: string };
}

/** Both sinks (or one, or none) as one: every event goes to each; `close` flushes EMF and stops the endpoint. */
export async function startRunMetrics(options: RunMetricsOptions): Promise<RunMetrics & { prometheusUrl?: string }> {
  const sinks: RunMetrics[] = [];
  if (options.emf) sinks.push(createEmfMetrics({ runId: options.runId, partition: options.partition, ...options.emf }));
  const prometheus = options.prometheus
    ? await startPrometheusMetrics({ runId: options.runId, partition: options.partition, ...options.prometheus })
    : undefined;
  if (prometheus) sinks.push(prometheus);
  return {
    ...(prometheus ? { prometheusUrl: prometheus.url } : {}),
    onEvent: (event: IngestEvent) => {
      for (const s of sinks) s.onEvent(event);
    },
    addUnchanged: (count: number) => {
      for (const s of sinks) s.addUnchanged(count);
    },
    close: async () => {
      await Promise.all(sinks.map((s) => s.close()));
    },
  };
}
