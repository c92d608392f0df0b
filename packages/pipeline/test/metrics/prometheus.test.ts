import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { ExecaModCli, runPipeline, type PipelineEvent } from "../../src/index.js";
import { PROMETHEUS_METRICS, startPrometheusMetrics } from "../../src/metrics/prometheus.js";
import { startRunMetrics } from "../../src/metrics/run-metrics.js";
import { rowsFor, tmp } from "../helpers.js";

let git: GitServer;
let standIn: ModStandIn;

beforeAll(async () => {
  git = await startGitServer();
  standIn = createModStandIn();
  for (const name of ["acme/alpha", "acme/broken", "acme/hangs"]) await git.createRepo(name);
});
afterAll(async () => {
  standIn?.cleanup();
  await git?.stop();
});

/** The value of one series of a Prometheus text exposition ("name{labels} value"). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe("Prometheus metrics of a run", () => {
  it("are served over HTTP while the pipeline runs: a build in flight, the finished syncs, then every outcome", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 20, failBuild: ["broken"], hangBuild: ["hangs"] });
    const metrics = await startRunMetrics({ runId: "run-9", partition: "2", prometheus: { port: 0, host: "127.0.0.1" } });
    const url = metrics.prometheusUrl!;
    const cli = new ExecaModCli({ command: standIn.command, env: { ...process.env, ...standIn.env }, killGraceMs: 1000 });
    const repos = await rowsFor([git.gitUrl("acme/alpha"), git.gitUrl("acme/broken"), git.gitUrl("acme/hangs")]);
    const stop = new AbortController();
    const hangRow = 3;
    const groups = new Map<string, number[]>();
    let during: Promise<string> | undefined;
    const onEvent = (e: PipelineEvent) => {
      metrics.onEvent(e);
      if (e.type === "group-start") groups.set(e.group, e.rows);
      // The hanging build is in flight: look at the endpoint as a scraper would, then stop the run (SIGTERM semantics).
      if (e.type === "step-start" && e.step === "build" && groups.get(e.group)?.includes(hangRow)) {
        during = fetch(url)
          .then((r) => r.text())
          .finally(() => stop.abort());
      }
    };
    const result = await runPipeline({
      repos,
      cli,
      dataDir: await tmp("metrics-run-"),
      index: "1-3",
      concurrency: { sync: 1, build: 1, publish: 1, maxPending: 1 },
      signal: stop.signal,
      onEvent,
    });
    const text = await during!;
    expect(sample(text, PROMETHEUS_METRICS.stepsRunning, { step: "build", run_id: "run-9", partition: "2" })).toBe(1);
    expect(sample(text, `${PROMETHEUS_METRICS.stepDuration}_count`, { step: "sync", timed_out: "false" })).toBe(3);

    metrics.addUnchanged(7);
    const after = await (await fetch(url)).text();
    expect(sample(after, PROMETHEUS_METRICS.repos, { outcome: "ok" })).toBe(result.report.totals.ok);
    expect(sample(after, PROMETHEUS_METRICS.repos, { outcome: "failed" })).toBe(1);
    // The failed build carries its cause (the stand-in's console matches no rule: unknown) and its step.
    expect(sample(after, PROMETHEUS_METRICS.failures, { cause: "unknown", step: "build" })).toBe(1);
    expect(sample(after, PROMETHEUS_METRICS.repos, { outcome: "unchanged" })).toBe(7);
    expect(sample(after, PROMETHEUS_METRICS.stepsRunning, { step: "build" })).toBe(0);
    const finished = ["ok", "failed", "timed_out", "skipped", "not_started"].map(
      (outcome) => sample(after, PROMETHEUS_METRICS.repos, { outcome }) ?? 0,
    );
    expect(finished.reduce((a, b) => a + b, 0)).toBe(3);
    await metrics.close();
    await expect(fetch(url)).rejects.toThrow();
  });

  it("answers 404 outside /metrics, and a port in use is an error", async () => {
    const a = await startPrometheusMetrics({ port: 0, host: "127.0.0.1", runId: "r", partition: "1" });
    expect((await fetch(a.url.replace("/metrics", "/"))).status).toBe(404);
    await expect(startPrometheusMetrics({ port: a.port, host: "127.0.0.1", runId: "r", partition: "1" })).rejects.toThrow(/EADDRINUSE/);
    await a.close();
  });
});
