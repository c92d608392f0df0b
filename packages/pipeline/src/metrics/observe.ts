/** What the run's metrics count, read off the pipeline's events. Pure. */
import type { PipelineEvent } from "../options.js";

/** How a repository ended, as metrics count it (`unchanged` is told by the caller: the pipeline never sees those). */
export type RepoOutcomeMetric = "ok" | "failed" | "timed_out" | "skipped" | "not_started" | "unchanged";

/** Every outcome, in the order the sinks start their counts (each at 0, so "no failures" is a data point). */
export const REPO_OUTCOMES: readonly RepoOutcomeMetric[] = ["ok", "failed", "timed_out", "skipped", "not_started", "unchanged"];

/** The steps whose durations are measured (one value per `mod` call). */
export type MeasuredStep = "sync" | "build" | "publish";

/** One thing a metrics sink records. */
export type Observation =
  | { kind: "repo"; outcome: RepoOutcomeMetric }
  | { kind: "step-start"; step: MeasuredStep }
  | { kind: "step-end"; step: MeasuredStep; durationMs: number; timedOut: boolean };

/** Where the run's metrics go: give it every pipeline event (`onEvent`), count the unchanged, then `close`. */
export interface RunMetrics {
  /** Pass as (or call from) the pipeline's `onEvent`. */
  onEvent(event: PipelineEvent): void;
  /** Repositories skipped as unchanged by the chunker's selection (known to the caller, not to the pipeline). */
  addUnchanged(count: number): void;
  /** Flush what is left and stop (EMF: write the lines; Prometheus: stop serving). Idempotent. */
  close(): Promise<void>;
}

const MEASURED = new Set<string>(["sync", "build", "publish"]);
const OUTCOME: Readonly<Record<string, RepoOutcomeMetric>> = {
  ok: "ok",
  failed: "failed",
  "timed-out": "timed_out",
  skipped: "skipped",
  "not-started": "not_started",
};

/** The observation an event makes, if any: a finished repository, or a sync/build/publish call starting or ending. */
export function observe(event: PipelineEvent): Observation | undefined {
  if (event.type === "repo-done") {
    const outcome = OUTCOME[event.result.status];
    return outcome ? { kind: "repo", outcome } : undefined;
  }
  if (event.type === "step-start" && MEASURED.has(event.step)) return { kind: "step-start", step: event.step as MeasuredStep };
  if (event.type === "step-end" && MEASURED.has(event.step)) {
    return { kind: "step-end", step: event.step as MeasuredStep, durationMs: event.durationMs, timedOut: event.timedOut };
  }
  return undefined;
}
