import { SingleBar, Presets } from "cli-progress";
import type { RunStatus } from "@mass-ingest/batch";
import type { Logger } from "@mass-ingest/core";

/** Progress on a TTY (cli-progress bar on stderr) or as JSON log lines otherwise. */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number, extra?: Record<string, unknown>): void;
  stop(): void;
}

export function createProgress(logger: Logger, tty: boolean = process.stderr.isTTY === true): Progress {
  if (tty) {
    const bar = new SingleBar(
      { format: "{label} [{bar}] {value}/{total} {info}", hideCursor: true, stream: process.stderr },
      Presets.shades_classic,
    );
    let running = false;
    return {
      start(total, label) {
        bar.start(total, 0, { label, info: "" });
        running = true;
      },
      update(done, extra) {
        if (!running) return;
        const info = extra
          ? Object.entries(extra)
              .filter(([, v]) => v !== 0 && v !== undefined)
              .map(([k, v]) => `${k}:${String(v)}`)
              .join(" ")
          : "";
        bar.update(done, { info });
      },
      stop() {
        if (running) bar.stop();
        running = false;
      },
    };
  }
  let total = 0;
  let label = "";
  return {
    start(t, l) {
      total = t;
      label = l;
    },
    update(done, extra) {
      logger.info({ progress: { done, total, ...extra } }, `${label}: ${done}/${total}`);
    },
    stop() {},
  };
}

/** Progress numbers of a run status. */
export function statusProgress(status: RunStatus): { done: number; extra: Record<string, number> } {
  const c = status.counts;
  return {
    done: c.SUCCEEDED + c.FAILED,
    extra: { succeeded: c.SUCCEEDED, failed: c.FAILED, running: c.RUNNING + c.STARTING, waiting: c.SUBMITTED + c.PENDING + c.RUNNABLE },
  };
}
