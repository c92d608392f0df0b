import { MassIngestError } from "@mass-ingest/core";

/** Stable error codes thrown by @mass-ingest/pipeline. */
export type PipelineErrorCode =
  | "MOD_CLI_UNAVAILABLE"
  | "MOD_CLI_INCAPABLE"
  | "CONFIG_INVALID"
  | "CONFIGURE_FAILED"
  | "UPLOAD_FAILED"
  | "UPLOAD_REJECTED"
  | "LOG_STORE_URL_INVALID";

/** Codes that mean bad configuration (nothing attempted): exit code 2. The others are failures of the work: 1. */
const CONFIGURATION_CODES: ReadonlySet<PipelineErrorCode> = new Set([
  "MOD_CLI_UNAVAILABLE",
  "MOD_CLI_INCAPABLE",
  "CONFIG_INVALID",
  "CONFIGURE_FAILED",
  "LOG_STORE_URL_INVALID",
]);

/**
 * Every error the pipeline throws on purpose: a stable `code`, a message naming the setting/file, and a `hint`
 * saying what to do. Messages never contain secret values (callers redact before constructing). `exitCode` is 2 for
 * configuration codes (MOD_CLI_UNAVAILABLE, MOD_CLI_INCAPABLE: the installed CLI lacks a command or option we need, CONFIG_INVALID, CONFIGURE_FAILED: `mod config` refused the settings, LOG_STORE_URL_INVALID), 1 for failures of the work.
 */
export class PipelineError extends MassIngestError {
  override name = "PipelineError";
  declare readonly code: PipelineErrorCode;
  constructor(code: PipelineErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: CONFIGURATION_CODES.has(code) ? 2 : 1 });
  }
}
