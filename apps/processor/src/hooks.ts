import type { Logger } from "@mass-ingest/core";
import { logIndex, type IngestHooks, type RepoResult } from "@mass-ingest/pipeline";
import { barReporter, logReporter, type ProgressStream, type Reporter } from "./progress.js";

/** What the hooks report about: the run's selection, for the "ingesting" line and the progress total. */
export interface RunOutline {
  csv: string;
  range?: { start: number; end: number; partition?: number };
  repos: number;
  invalid: number;
  dataDir: string;
}

/** The ingest hooks of one run, and the reporter they start (a bar on a TTY, log lines otherwise). */
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

  /** The hooks for `ingest`; `onCli` passes the CLI runner on (so a second signal can kill its process groups). */
  hooks(onCli: IngestHooks["onCli"]): IngestHooks {
    const { logger } = this;
    return {
      onCli,
      onCommand: (line) => logger.debug({ command: line }, "mod"),
      onConfigured: ({ commands, cliVersion, warnings }) => {
        for (const line of commands) logger.info({ command: line, cliVersion }, "configured the Moderne CLI");
        for (const warning of warnings ?? []) logger.warn({ cliVersion }, warning);
      },
      onStart: ({ store }) => this.#start(store),
      onUploadRetry: ({ key, attempt, error }) => logger.warn({ key, attempt, error }, "upload failed; retrying"),
      onMonitorStopped: ({ exitCode, outputTail }) =>
        logger.warn({ exitCode, output: outputTail.slice(-300) }, "mod monitor stopped early"),
      onEvent: (event) => {
        if (event.type === "repo-done") this.onResult?.(event.result);
        this.reporter?.onEvent(event);
      },
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
