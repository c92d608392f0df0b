/**
 * Prometheus metrics of a run (`--metrics-port` / METRICS_PORT) through `prom-client`: the same repository counts
 * and step durations as the EMF lines, served at `/metrics` for as long as the run lasts, next to `mod monitor`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { IngestEvent } from "../ingest-events.js";
import { observe, METRIC_OUTCOMES, type RunMetrics } from "./observe.js";

/** Prometheus metric names. */
export const PROMETHEUS_METRICS = {
  repos: "mass_ingest_repositories_total",
  failures: "mass_ingest_failures_total",
  stepDuration: "mass_ingest_step_duration_seconds",
  stepsRunning: "mass_ingest_steps_running",
} as const;

/** Histogram buckets of the step durations, in seconds (5 s to 90 min: clones, builds up to BUILD_TIMEOUT). */
export const STEP_DURATION_BUCKETS: readonly number[] = [5, 15, 30, 60, 120, 300, 600, 1200, 2700, 5400];

export interface PrometheusMetricsOptions {
  /** TCP port; 0 picks a free one (see `port` of the result). */
  port: number;
  /** Interface to listen on (default: all, as Prometheus exporters do; the metrics hold counts and ids only). */
  host?: string;
  /** Labels `run_id` and `partition` on every series. */
  runId: string;
  partition: string;
}

export interface PrometheusMetrics extends RunMetrics {
  /** The port it listens on. */
  readonly port: number;
  /** `http://<host>:<port>/metrics`. */
  readonly url: string;
}

function metricsOf(registry: Registry) {
  return {
    repos: new Counter({
      name: PROMETHEUS_METRICS.repos,
      help: "Repositories finished, by outcome (ok, failed, timed_out, skipped, not_started, unchanged).",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    failures: new Counter({
      name: PROMETHEUS_METRICS.failures,
      help: "Failed and timed-out repositories, by failure cause (docs/triage.md) and the step that failed.",
      labelNames: ["cause", "step"],
      registers: [registry],
    }),
    durations: new Histogram({
      name: PROMETHEUS_METRICS.stepDuration,
      help: "Duration of each mod sync / build / publish call.",
      labelNames: ["step", "timed_out"],
      buckets: [...STEP_DURATION_BUCKETS],
      registers: [registry],
    }),
    running: new Gauge({
      name: PROMETHEUS_METRICS.stepsRunning,
      help: "mod sync / build / publish calls running now.",
      labelNames: ["step"],
      registers: [registry],
    }),
  };
}

/** Start serving the run's metrics; resolves once the port listens. `close()` stops the server. */
export async function startPrometheusMetrics(options: PrometheusMetricsOptions): Promise<PrometheusMetrics> {
  const registry = new Registry();
  registry.setDefaultLabels({ run_id: options.runId, partition: options.partition });
  const m = metricsOf(registry);
  for (const outcome of METRIC_OUTCOMES) m.repos.inc({ outcome }, 0);
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "/").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the metrics are at /metrics\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}/metrics`,
    onEvent(event: IngestEvent) {
      const o = observe(event);
      if (o?.kind === "repo") {
        m.repos.inc({ outcome: o.outcome });
        if (o.cause) m.failures.inc(o.cause);
      } else if (o?.kind === "step-start") m.running.inc({ step: o.step });
      else if (o?.kind === "step-end") {
        m.running.dec({ step: o.step });
        m.durations.observe({ step: o.step, timed_out: String(o.timedOut) }, o.durationMs / 1000);
      }
    },
    addUnchanged(count: number) {
      m.repos.inc({ outcome: "unchanged" }, count);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
