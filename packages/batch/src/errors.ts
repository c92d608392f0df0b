import { MassIngestError, type MassIngestErrorOptions } from "@mass-ingest/core";

/** Codes that mean "bad input or configuration, nothing attempted" (exit code 2). */
const CONFIG_ERROR_CODES: ReadonlySet<string> = new Set([
  "MISSING_SETTING",
  "INVALID_SETTING",
  "INVALID_RUN_ID",
  "INVALID_PARTITIONS",
  "JOB_QUEUE_NOT_FOUND",
  "JOB_QUEUE_DISABLED",
  "JOB_DEFINITION_NOT_FOUND",
  "JOB_NOT_FOUND",
  "RUN_NOT_FOUND",
]);

/**
 * Every failure @mass-ingest/batch reports on purpose: a stable `code`, a message that names the setting or
 * resource, and a `hint` saying what to do. Exit code 2 for bad input or configuration (nothing submitted), 1
 * otherwise (e.g. `SUBMIT_FAILED`, `WAIT_TIMEOUT`). Messages never carry secret values.
 */
export class BatchError extends MassIngestError {
  override name = "BatchError";

  constructor(code: string, message: string, options: Omit<MassIngestErrorOptions, "exitCode"> = {}) {
    super(code, message, { ...options, exitCode: CONFIG_ERROR_CODES.has(code) ? 2 : 1 });
  }
}
