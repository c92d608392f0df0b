import type { Logger } from "@mass-ingest/core";
import { openStateStore, type StateStore } from "@mass-ingest/state";

/** The state store at `url`, its warnings (unreadable result records, a discarded state) logged. */
export function openStore(url: string, logger: Logger, env: Readonly<Record<string, string | undefined>>): StateStore {
  return openStateStore(url, { env, onWarning: (message) => logger.warn({ state: url }, message) });
}

/** Minutes with one decimal, for messages. */
export const minutes = (ms: number): string => `${(ms / 60_000).toFixed(1)} min`;
