import type { AbortSignalLike, CliAbortSignal } from "./cli.js";

/** How long a piece of work (an upload, a write) may go on: until a time limit, and a grace period after a stop. */
export interface AbortWindowOptions {
  /** The time limit: abort this many ms from now (clamped at 0); none when undefined. */
  endsInMs?: number | undefined;
  /** The abort reason's message at the time limit. */
  endsWhy?: string | undefined;
  /** The stop (the first SIGTERM): once it aborts, or if it already has, the work gets `graceMs` more. */
  stop?: AbortSignalLike | undefined;
  /** How long the work may go on after the stop (ms). */
  graceMs: number;
  /** The abort reason's message `graceMs` after the stop. */
  stopWhy: string;
}

/**
 * A signal that aborts at the first of `endsInMs` and `graceMs` after `stop`. `done` clears the timers and the
 * listener on `stop` (a window that lives as long as the process may skip it: its timers are unref'd).
 */
export function abortWindow(options: AbortWindowOptions): { signal: CliAbortSignal; done: () => void } {
  const { endsInMs, endsWhy, stop, graceMs, stopWhy } = options;
  const controller = new AbortController();
  const end = (why: string | undefined) => () => controller.abort(new Error(why));
  const timer = endsInMs === undefined ? undefined : setTimeout(end(endsWhy), Math.max(0, endsInMs)).unref();
  let stopTimer: NodeJS.Timeout | undefined;
  const onStop = () => void (stopTimer = setTimeout(end(stopWhy), graceMs).unref());
  if (stop?.aborted) onStop();
  else stop?.addEventListener("abort", onStop, { once: true });
  const done = () => {
    clearTimeout(timer);
    clearTimeout(stopTimer);
    stop?.removeEventListener("abort", onStop);
  };
  return { signal: controller.signal, done };
}
