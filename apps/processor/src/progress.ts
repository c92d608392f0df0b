import cliProgress from "cli-progress";
import type { PipelineEvent, RepoResult, RepoStatus } from "@mass-ingest/pipeline";
import type { Logger } from "@mass-ingest/core";

/** Turns pipeline events into a progress bar (TTY) or JSON log lines (otherwise). */
export interface Reporter {
  onEvent(event: PipelineEvent): void;
  stop(): void;
}

/** JSON log lines: one per group start, step end, repository result, upload and warning. */
export function logReporter(logger: Logger): Reporter {
  return {
    onEvent(event) {
      switch (event.type) {
        case "group-start":
          logger.info({ group: event.group, rows: event.rows }, "started");
          break;
        case "step-start":
          logger.debug({ group: event.group, step: event.step, command: event.command }, "step started");
          break;
        case "step-end":
          logger[event.exitCode === 0 ? "info" : "warn"](
            {
              group: event.group,
              step: event.step,
              exitCode: event.exitCode,
              durationMs: event.durationMs,
              timedOut: event.timedOut,
              aborted: event.aborted,
            },
            "step finished",
          );
          break;
        case "repo-done": {
          const r = event.result;
          logger[r.status === "ok" ? "info" : "warn"](
            {
              row: r.row,
              path: r.path,
              ...(r.path ? {} : { cloneUrl: r.cloneUrl }),
              status: r.status,
              failedStep: r.failedStep,
              reason: r.reason,
              durationsMs: r.durationsMs,
            },
            `repository ${r.status}`,
          );
          break;
        }
        case "upload":
          logger.info({ what: event.what, location: event.location }, "uploaded");
          break;
        case "upload-failed":
          logger.error({ what: event.what, error: event.error }, "upload failed");
          break;
        case "warning":
          logger.warn(event.message);
          break;
        case "retry":
          logger.warn(
            { group: event.group, step: event.step, attempt: event.attempt, rows: event.rows, delayMs: event.delayMs, cause: event.cause },
            `${event.step} failed for a ${event.cause} cause: retry ${event.attempt} in ${Math.round(event.delayMs / 1000)} s`,
          );
          break;
      }
    },
    stop() {},
  };
}

/** The terminal stream the bar draws on (stderr). */
export type ProgressStream = NodeJS.WriteStream;

/** How a repository is named: its path, else its clone URL, else that it had none (as in the summary). */
const label = (r: RepoResult) => r.path || r.cloneUrl || "(no clone URL)";

/** `12s`, `3m05s`, `1h02m`; "-" until a repository finished (no estimate yet). */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "-";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** The bar's counters, by the summary's categories. */
interface Counts {
  ok: number;
  failed: number;
  timedOut: number;
  skipped: number;
  notStarted: number;
}

function count(counts: Counts, status: RepoStatus): void {
  if (status === "ok") counts.ok++;
  else if (status === "failed") counts.failed++;
  else if (status === "timed-out") counts.timedOut++;
  else if (status === "not-started") counts.notStarted++;
  else counts.skipped++;
}

/**
 * A cli-progress bar on stderr: done, the summary's categories (ok, failed, timed out, skipped), running and an
 * ETA from the mean time per finished repository. Problems are printed above the bar.
 */
export function barReporter(total: number, stream: ProgressStream): Reporter {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format:
        " {bar} {value}/{total} | ok {ok} | failed {failed} | timed out {timedOut} | skipped {skipped} | not started {notStarted} | running {running} | ETA {remaining}",
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts: Counts = { ok: 0, failed: 0, timedOut: 0, skipped: 0, notStarted: 0 };
  const running = new Set<string>();
  const started = performance.now();
  let done = 0;
  const eta = () => (done === 0 ? undefined : (((performance.now() - started) / done) * (total - done)) / 1000);
  const bar = multi.create(total, 0, { ...counts, running: 0, remaining: formatEta(undefined) });
  const update = () => bar.update(done, { ...counts, running: running.size, remaining: formatEta(eta()) });
  return {
    onEvent(event) {
      if (event.type === "group-start") running.add(event.group);
      else if (event.type === "repo-done") {
        const r = event.result;
        running.delete(r.group);
        done++;
        count(counts, r.status);
        if (r.status !== "ok") multi.log(`row ${r.row} ${label(r)}: ${r.status}${r.failedStep ? ` at ${r.failedStep}` : ""}\n`);
      } else if (event.type === "warning") multi.log(`warning: ${event.message}\n`);
      else if (event.type === "upload-failed") multi.log(`upload of the ${event.what} failed: ${event.error}\n`);
      else if (event.type === "retry")
        multi.log(
          `${event.group}: ${event.step} failed (${event.cause}), retry ${event.attempt} in ${Math.round(event.delayMs / 1000)} s\n`,
        );
      update();
    },
    stop() {
      // Draw once more first: lines logged since the last frame are only written by a redraw.
      multi.update();
      multi.stop();
    },
  };
}
