import type { Logger } from "@mass-ingest/core";
import { logIndex, type IngestListener, type RepoResult } from "@mass-ingest/pipeline";
import { barReporter, logReporter, type ProgressStream, type Reporter } from "./progress.js";

/** What the hooks report about: the run's selection, for the "ingesting" line and the progress total. */
export interface RunOutline {
  csv: string;
  range?: { start: number; end: number; partition?: number };
  repos: number;
  invalid: number;
  dataDir: string;
}

/** The listeners of one run's events (logs, progress, result records), and the reporter they start (a bar on a TTY, log lines otherwise). */
export class RunHooks {
  reporter?: Reporter;

  constructor(
    readonly logger: Logger,
    readonly outline: RunOutline,
    readonly bar: ProgressStream | undefined,
    readonly signal?: AbortSignal,
    /** Each repository's result as it finishes (the run state's result record). */
    readonly onResult?: (result: RepoResult) => void,
  ) {}

  /** Logs, progress and result records: the run's own listener on the ingest channel. */
  listener(): IngestListener {
    const { logger } = this;
    return (event) => {
      switch (event.type) {
        case "configured":
          for (const line of event.commands) logger.info({ command: line, cliVersion: event.cliVersion }, "configured the Moderne CLI");
          for (const warning of event.warnings) logger.warn({ cliVersion: event.cliVersion }, warning);
          return;
        case "start":
          return this.#start(event.store);
        case "upload-retry":
          return logger.warn({ key: event.key, attempt: event.attempt, error: event.error }, "upload failed; retrying");
        case "monitor-stopped":
          return logger.warn({ exitCode: event.exitCode, output: event.outputTail.slice(-300) }, "mod monitor stopped early");
        case "repo-done":
          this.onResult?.(event.result);
          break;
      }
      this.reporter?.onEvent(event);
    };
  }

  #start(store: string | undefined): void {
    const { logger, outline } = this;
    if (!store && !this.signal?.aborted) {
      logger.warn(
        { dataDir: outline.dataDir },
        "No PUBLISH_URL: LSTs and log zips are kept under the data directory, nothing is published.",
      );
    }
    const total = outline.repos + outline.invalid;
    this.reporter = this.bar ? barReporter(total, this.bar) : logReporter(logger);
    const { range } = outline;
    logger.info(
      {
        csv: outline.csv,
        rows: logIndex(range),
        partition: range?.partition,
        repos: outline.repos,
        invalid: outline.invalid,
        dataDir: outline.dataDir,
        publish: store ?? "none",
      },
      "ingesting",
    );
  }

  /** Stop the reporter (the bar's last frame stays). */
  stop(): void {
    this.reporter?.stop();
  }
}
