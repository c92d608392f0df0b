import cliProgress from "cli-progress";
import type { PipelineEvent } from "@mass-ingest/pipeline";
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
            { group: event.group, step: event.step, exitCode: event.exitCode, durationMs: event.durationMs, timedOut: event.timedOut, aborted: event.aborted },
            "step finished",
          );
          break;
        case "repo-done": {
          const r = event.result;
          logger[r.status === "ok" ? "info" : "warn"](
            { row: r.row, path: r.path, status: r.status, failedStep: r.failedStep, reason: r.reason, durationsMs: r.durationsMs },
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
      }
    },
    stop() {},
  };
}

/** The terminal stream the bar draws on (stderr). */
export type ProgressStream = NodeJS.WriteStream;

/** A cli-progress bar on stderr: done / failed / running and ETA. Warnings are printed above the bar. */
export function barReporter(total: number, stream: ProgressStream): Reporter {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: " {bar} {value}/{total} | ok {ok} | failed {failed} | running {running} | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total, 0, { ok: 0, failed: 0, running: 0 });
  const running = new Set<string>();
  let ok = 0;
  let failed = 0;
  let done = 0;
  const update = () => bar.update(done, { ok, failed, running: running.size });
  return {
    onEvent(event) {
      if (event.type === "group-start") running.add(event.group);
      else if (event.type === "repo-done") {
        running.delete(event.result.group);
        done++;
        if (event.result.status === "ok") ok++;
        else {
          failed++;
          multi.log(`row ${event.result.row} ${event.result.path ?? event.result.cloneUrl}: ${event.result.status}${event.result.failedStep ? ` at ${event.result.failedStep}` : ""}\n`);
        }
      } else if (event.type === "warning") multi.log(`warning: ${event.message}\n`);
      else if (event.type === "upload-failed") multi.log(`upload of the ${event.what} failed: ${event.error}\n`);
      update();
    },
    stop() {
      multi.stop();
    },
  };
}
