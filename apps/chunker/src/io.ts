import type { RedactingLogger } from "@mass-ingest/core";

/** What every command writes to and listens on. */
export interface Io {
  /** One result on stdout (a newline is added when missing). */
  stdout: (text: string) => void;
  logger: RedactingLogger;
  /** Aborted at SIGINT / SIGTERM. */
  signal: AbortSignal;
  /** The environment settings are read from. */
  env: Readonly<Record<string, string | undefined>>;
}
