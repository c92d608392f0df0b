/** What the run's metrics count, read off the pipeline's events. Pure. */
import { MOD_STEPS, REPO_OUTCOMES, type ModStep, type RepoOutcome } from "@mass-ingest/contract";
import type { IngestEvent } from "../ingest-events.js";
import { classifyResult } from "../triage/classify.js";

/**
 * The metric label of each outcome. Published as Prometheus `outcome` label values (snake_case) before the
 * contract's spelling, so they stay as published: this is the one place the two spellings meet.
 */
export const OUTCOME_METRIC_LABELS = {
  ok: "ok",
  failed: "failed",
  "timed-out": "timed_out",
  skipped: "skipped",
  "not-started": "not_started",
} as const satisfies Record<RepoOutcome, string>;

/** How a repository ended, as metrics count it (`unchanged` is told by the caller: the pipeline never sees those). */
export type RepoOutcomeMetric = (typeof OUTCOME_METRIC_LABELS)[RepoOutcome] | "unchanged";

/** Every outcome, in the order the sinks start their counts (each at 0, so "no failures" is a data point). */
export const METRIC_OUTCOMES: readonly RepoOutcomeMetric[] = [...REPO_OUTCOMES.map((o) => OUTCOME_METRIC_LABELS[o]), "unchanged"];

/** The steps whose durations are measured (one value per `mod` call): the contract's MOD_STEPS. */
export type MeasuredStep = ModStep;

/** One thing a metrics sink records. */
export type Observation =
  | { kind: "repo"; outcome: RepoOutcomeMetric; cause?: { cause: string; step: string } }
  | { kind: "step-start"; step: MeasuredStep }
  | { kind: "step-end"; step: MeasuredStep; durationMs: number; timedOut: boolean };

/** Where the run's metrics go: give it every pipeline event (`onEvent`), count the unchanged, then `close`. */
export interface RunMetrics {
  /** Pass as (or call from) a listener of the ingest channel; events it does not count are ignored. */
  onEvent(event: IngestEvent): void;
  /** Repositories skipped as unchanged by the chunker's selection (known to the caller, not to the pipeline). */
  addUnchanged(count: number): void;
  /** Flush what is left and stop (EMF: write the lines; Prometheus: stop serving). Idempotent. */
  close(): Promise<void>;
}

const MEASURED = new Set<string>(MOD_STEPS);

/** The observation an event makes, if any: a finished repository, or a sync/build/publish call starting or ending. */
export function observe(event: IngestEvent): Observation | undefined {
  if (event.type === "repo-done") {
    const failure = classifyResult(event.result);
    const cause = failure ? { cause: failure.cause, step: event.result.failedStep ?? "unknown" } : undefined;
    return { kind: "repo", outcome: OUTCOME_METRIC_LABELS[event.result.status], ...(cause ? { cause } : {}) };
  }
  if (event.type === "step-start" && MEASURED.has(event.step)) return { kind: "step-start", step: event.step as MeasuredStep };
  if (event.type === "step-end" && MEASURED.has(event.step)) {
    return { kind: "step-end", step: event.step as MeasuredStep, durationMs: event.durationMs, timedOut: event.timedOut };
  }
  return undefined;
}
