import { MassIngestError, type MassIngestErrorOptions } from "@mass-ingest/core";

/**
 * Errors of the run state. Every one names the file (or object) it is about and the way out; exit code 2
 * (nothing was attempted) unless said otherwise.
 */
export class StateError extends MassIngestError {
  override name = "StateError";
  constructor(code: string, message: string, options: MassIngestErrorOptions = {}) {
    super(code, message, { exitCode: 2, ...options });
  }
}

/**
 * A conditional write lost: the object changed (If-Match) or appeared (If-None-Match: "*") since it was read,
 * i.e. another writer got there first. `code` is "STATE_CONFLICT".
 */
export class StateConflictError extends StateError {
  override name = "StateConflictError";
  constructor(message: string, options: MassIngestErrorOptions = {}) {
    super("STATE_CONFLICT", message, options);
  }
}

/** Another process holds the state lock. `code` is "STATE_LOCKED"; the message names the holder. */
export class StateLockedError extends StateError {
  override name = "StateLockedError";
  constructor(message: string, options: MassIngestErrorOptions = {}) {
    super("STATE_LOCKED", message, options);
  }
}

/** The hint of every unreadable state file: the two ways out. */
export function resetHint(location: string): string {
  return `Run with --full to rebuild everything, or move ${location} aside (the next run then starts from an empty state and builds everything).`;
}
