/**
 * The one error base of mass-ingest. Every error a package throws on purpose extends it: a stable `code`, a
 * message that names the row, file or setting, a `hint` saying what to do, the `exitCode` a CLI should end with
 * (2: bad input or configuration, nothing attempted; 1: the work failed) and the `cause`. Messages never carry
 * secret values.
 */
export interface MassIngestErrorOptions {
  /** What to do about it. */
  hint?: string;
  cause?: unknown;
  /** 2 for bad input or configuration (default), 1 for a failure of the work itself. */
  exitCode?: 1 | 2;
}

export class MassIngestError extends Error {
  override name = "MassIngestError";
  /** Stable machine-readable code, e.g. "CSV_NOT_FOUND". */
  readonly code: string;
  /** What to do about it. */
  readonly hint?: string;
  readonly #exitCode: 1 | 2;

  constructor(code: string, message: string, options: MassIngestErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
    this.#exitCode = options.exitCode ?? 2;
  }

  /** 2 for bad input / configuration (nothing attempted), 1 otherwise. Subclasses may decide by `code`. */
  get exitCode(): 1 | 2 {
    return this.#exitCode;
  }
}

/** The exit code for any thrown value: a MassIngestError's own, 1 for everything else. */
export function exitCodeOf(error: unknown): 1 | 2 {
  return error instanceof MassIngestError ? error.exitCode : 1;
}

/** `{ code, message, hint }` of any thrown value, for a log line or a report. */
export function describeError(error: unknown): { code?: string; message: string; hint?: string } {
  const e = error as { code?: unknown; message?: unknown; hint?: unknown } | undefined;
  const out: { code?: string; message: string; hint?: string } = {
    message: typeof e?.message === "string" ? e.message : String(error),
  };
  if (typeof e?.code === "string") out.code = e.code;
  if (typeof e?.hint === "string") out.hint = e.hint;
  return out;
}
