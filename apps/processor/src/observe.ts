/**
 * What the processor adds around a run for the people who watch it: the doctor's checks at start
 * (DIAGNOSE_ON_START) and the run's metrics (CloudWatch embedded metric format inside AWS Batch, Prometheus on
 * --metrics-port / METRICS_PORT).
 */
import type { Logger } from "@mass-ingest/core";
import { JOB_ID_ENV, PROCESSOR_ENV, WORKER_CHECK_IDS } from "@mass-ingest/contract";
import { formatReport, runDoctor } from "@mass-ingest/doctor";
import { startRunMetrics, type RunMetrics } from "@mass-ingest/pipeline";
import type { ProcessorSettings } from "./settings.js";

type Env = Record<string, string | undefined>;
const yes = (value: string | undefined) => /^(1|true|yes)$/i.test(value?.trim() ?? "");

/** The environment the doctor reads: the processor's, with the flags that override it written under their names. */
function doctorEnv(settings: ProcessorSettings, env: Env): Env {
  const E = PROCESSOR_ENV;
  const out: Env = { ...env };
  const { publish, caFile, insecure } = settings.ingest;
  if (publish?.url) out[E.publishUrl.name] = publish.url;
  if (publish?.user) out[E.publishUser.name] = publish.user;
  if (caFile) out[E.caFile.name] = caFile;
  if (insecure) out[E.insecure.name] = "true";
  if (settings.mod.modCli) out[E.modCli.name] = settings.mod.modCli;
  if (settings.mod.mavenRepository) out[E.mavenRepository.name] = settings.mod.mavenRepository;
  return out;
}

/**
 * DIAGNOSE_ON_START=true: run the doctor's worker checks before anything else and tell whether the run may go on
 * (false: a check failed; the caller exits 2). Warnings are logged and do not stop the run.
 */
export async function diagnoseOnStart(
  settings: ProcessorSettings,
  env: Env,
  io: { logger: Logger; tty: boolean; stderr: { write(s: string): unknown }; signal?: AbortSignal },
): Promise<boolean> {
  if (!yes(env[PROCESSOR_ENV.diagnoseOnStart.name])) return true;
  const report = await runDoctor(
    { csv: settings.rows.csv, env: doctorEnv(settings, env), dataDir: settings.ingest.dataDir },
    { only: [...WORKER_CHECK_IDS], ...(io.signal ? { signal: io.signal } : {}) },
  );
  if (io.tty) io.stderr.write(formatReport(report, { color: true }));
  else {
    for (const c of report.checks) {
      const fields = { check: c.id, status: c.status, ...(c.fix ? { fix: c.fix } : {}) };
      if (c.status === "fail") io.logger.error(fields, `${c.title}: ${c.detail}`);
      else if (c.status === "warn") io.logger.warn(fields, `${c.title}: ${c.detail}`);
      else io.logger.info(fields, `${c.title}: ${c.detail}`);
    }
  }
  if (report.exitCode !== 0)
    io.logger.error(
      { failed: report.checks.filter((c) => c.status === "fail").map((c) => c.id) },
      `${PROCESSOR_ENV.diagnoseOnStart.name}: a check failed; nothing was attempted (run \`mass-ingest doctor\` for the details)`,
    );
  return report.exitCode === 0;
}

/**
 * The run's metrics: EMF lines on stdout inside AWS Batch (CloudWatch Logs turns them into metrics), a Prometheus
 * endpoint when a port is set; undefined when neither applies.
 */
export async function startMetrics(
  settings: ProcessorSettings,
  env: Env,
  run: { runId: string; partition: string; stdout: { write(s: string): unknown }; logger: Logger },
): Promise<RunMetrics | undefined> {
  const inBatch = (env[JOB_ID_ENV] ?? "").trim() !== "";
  const port = settings.metricsPort;
  if (!inBatch && port === undefined) return undefined;
  const metrics = await startRunMetrics({
    runId: run.runId,
    partition: run.partition,
    ...(inBatch ? { emf: { write: (line: string) => run.stdout.write(`${line}\n`) } } : {}),
    ...(port !== undefined ? { prometheus: { port } } : {}),
  });
  if (metrics.prometheusUrl) run.logger.info({ url: metrics.prometheusUrl }, "serving Prometheus metrics of this run");
  return metrics;
}
