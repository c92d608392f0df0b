/** Stable error codes thrown by @mass-ingest/pipeline. */
export type PipelineErrorCode =
  | "MOD_CLI_UNAVAILABLE"
  | "CONFIG_INVALID"
  | "CONFIGURE_FAILED"
  | "UPLOAD_FAILED"
  | "UPLOAD_REJECTED"
  | "LOG_STORE_URL_INVALID";

/**
 * Every error the pipeline throws on purpose: a stable `code`, a message naming the setting/file, and a `hint`
 * saying what to do. Messages never contain secret values (callers redact before constructing).
 */
export class PipelineError extends Error {
  readonly code: PipelineErrorCode;
  readonly hint?: string;
  constructor(code: PipelineErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PipelineError";
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}
