/**
 * CloudWatch embedded metric format (EMF) through `aws-embedded-metrics`: the run's counts and step durations as
 * JSON log lines that CloudWatch Logs turns into metrics (no log parsing, no agent, no API calls).
 */
import { RUN_METRICS } from "@mass-ingest/contract";
import type { MetricsContext } from "aws-embedded-metrics/lib/logger/MetricsContext.js";
import type { IngestEvent } from "../ingest-events.js";
import { observe, METRIC_OUTCOMES, type MeasuredStep, type RepoOutcomeMetric, type RunMetrics } from "./observe.js";

/** The namespace the metrics are published under by default (the contract's, which the dashboard reads). */
export const EMF_NAMESPACE = RUN_METRICS.namespace;

/** EMF metric names of the repository counts, by outcome (the contract's RUN_METRICS). */
export const EMF_REPO_METRICS: Readonly<Record<RepoOutcomeMetric, string>> = {
  ok: RUN_METRICS.repos.ok,
  failed: RUN_METRICS.repos.failed,
  timed_out: RUN_METRICS.repos.timedOut,
  skipped: RUN_METRICS.repos.skipped,
  not_started: RUN_METRICS.repos.notStarted,
  unchanged: RUN_METRICS.repos.unchanged,
};

/** EMF metric of the failures by cause and step (dimensions `Cause` and `Step`): the contract's RUN_METRICS.failures. */
export const EMF_FAILURE_METRIC = RUN_METRICS.failures.metric;

/** EMF metric names of the step durations (milliseconds, one value per `mod` call). */
export const EMF_STEP_METRICS: Readonly<Record<MeasuredStep, string>> = RUN_METRICS.durations;

export interface EmfMetricsOptions {
  /** Run id (dimension `RunId`). */
  runId: string;
  /** Partition (dimension `Partition`): the array child's partition number or the START-END index. */
  partition: string;
  /** Default `MassIngest`. */
  namespace?: string;
  /** Where each EMF line goes (one JSON object per call, no newline): e.g. `(line) => process.stdout.write(line + "\n")`. */
  write: (line: string) => void;
}

/**
 * The library, loaded when the first metrics are written and never at import: loading `aws-embedded-metrics` starts
 * its environment detection, which probes the EC2 metadata endpoint (169.254.169.254) unless an override is set.
 * The override is set on its configuration first (our environment below detects nothing), so not even a Batch job
 * makes that call.
 */
async function loadEmf() {
  const configuration = cjsDefault<{ environmentOverride?: string }>(await import("aws-embedded-metrics/lib/config/Configuration.js"));
  configuration.environmentOverride ||= "Local";
  const { MetricsLogger, Unit } = await import("aws-embedded-metrics");
  const { LogSerializer } = await import("aws-embedded-metrics/lib/serializers/LogSerializer.js");
  return { MetricsLogger, Unit, LogSerializer };
}

/** A CommonJS module's `exports.default`, whether the loader (Node's ESM, a bundler) wraps `module.exports` or not. */
function cjsDefault<T>(imported: unknown): T {
  const outer = (imported as { default?: unknown }).default ?? imported;
  return ((outer as { default?: unknown }).default ?? outer) as T;
}

type EmfLibrary = Awaited<ReturnType<typeof loadEmf>>;

/** One EMF event per cause and step that occurred: `ReposFailedByCause` with [Cause], [Cause, Step], [RunId, Cause, Step]. */
async function writeFailures(lib: EmfLibrary, options: EmfMetricsOptions, failures: ReadonlyMap<string, number>): Promise<void> {
  const { cause: CAUSE, step: STEP } = RUN_METRICS.failures.dimensions;
  for (const [id, n] of failures) {
    const [cause, step] = id.split("\0") as [string, string];
    const logger = new lib.MetricsLogger(() => Promise.resolve(lineEnvironment(lib, options.write)));
    logger.setNamespace(options.namespace ?? EMF_NAMESPACE);
    const withStep = { [CAUSE]: cause, [STEP]: step };
    logger.setDimensions([{ [CAUSE]: cause }, withStep, { [RUN_METRICS.dimensions.runId]: options.runId, ...withStep }], false);
    logger.putMetric(EMF_FAILURE_METRIC, n, lib.Unit.Count);
    await logger.flush();
  }
}

/** An environment of the library that writes through `write` and detects nothing (no metadata calls, no agent). */
function lineEnvironment(lib: EmfLibrary, write: (line: string) => void) {
  const serializer = new lib.LogSerializer();
  const sink = {
    name: "MassIngestLineSink",
    accept: (context: MetricsContext) => {
      for (const line of serializer.serialize(context)) write(line);
      return Promise.resolve();
    },
  };
  return {
    probe: () => Promise.resolve(true),
    getName: () => "mass-ingest",
    getType: () => "AWS::Batch::Job",
    getLogGroupName: () => "",
    configureContext: () => {},
    getSink: () => sink,
  };
}

/**
 * Count the run's repositories by outcome and collect its step durations from the pipeline's events; `close()`
 * writes them as EMF lines with the dimension sets [], [RunId] and [RunId, Partition] (so an alarm can watch every
 * run, and a dashboard one run or one partition). Counts are written even when 0, so "no failures" is a data point.
 * The failures by cause and step follow, one event each (only the causes that occurred: zeros of every cause would
 * each be a custom metric).
 */
export function createEmfMetrics(options: EmfMetricsOptions): RunMetrics {
  const counts = new Map<RepoOutcomeMetric, number>(METRIC_OUTCOMES.map((outcome) => [outcome, 0]));
  const durations: Array<{ step: MeasuredStep; ms: number }> = [];
  const failures = new Map<string, number>();
  let closed: Promise<void> | undefined;
  return {
    onEvent(event: IngestEvent) {
      const o = observe(event);
      if (o?.kind === "repo") {
        counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
        const id = o.cause && `${o.cause.cause}\0${o.cause.step}`;
        if (id) failures.set(id, (failures.get(id) ?? 0) + 1);
      } else if (o?.kind === "step-end") durations.push({ step: o.step, ms: o.durationMs });
    },
    addUnchanged(count: number) {
      counts.set("unchanged", (counts.get("unchanged") ?? 0) + count);
    },
    close() {
      closed ??= (async () => {
        const lib = await loadEmf();
        const { Unit } = lib;
        const logger = new lib.MetricsLogger(() => Promise.resolve(lineEnvironment(lib, options.write)));
        logger.setNamespace(options.namespace ?? EMF_NAMESPACE);
        const { runId: RUN, partition: PART } = RUN_METRICS.dimensions;
        logger.setDimensions([{}, { [RUN]: options.runId }, { [RUN]: options.runId, [PART]: options.partition }], false);
        for (const [outcome, n] of counts) logger.putMetric(EMF_REPO_METRICS[outcome], n, Unit.Count);
        for (const d of durations) logger.putMetric(EMF_STEP_METRICS[d.step], d.ms, Unit.Milliseconds);
        await logger.flush();
        await writeFailures(lib, options, failures);
      })();
      return closed;
    },
  };
}
