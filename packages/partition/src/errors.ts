import type { ValidationIssue } from "./types.js";

/** Stable codes of file-level and argument errors thrown as PartitionError. */
export const ERROR_CODES = {
  EMPTY_FILE: "EMPTY_FILE",
  MISSING_CLONE_URL_HEADER: "MISSING_CLONE_URL_HEADER",
  DUPLICATE_COLUMN: "DUPLICATE_COLUMN",
  MALFORMED_CSV: "MALFORMED_CSV",
  SOURCE_UNREADABLE: "SOURCE_UNREADABLE",
  INVALID_ROWS: "INVALID_ROWS",
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
} as const;

/** Stable codes of row-level validation issues. */
export const ISSUE_CODES = {
  MISSING_CLONE_URL: "MISSING_CLONE_URL",
  TOO_MANY_FIELDS: "TOO_MANY_FIELDS",
  UNSUPPORTED_URL_SCHEME: "UNSUPPORTED_URL_SCHEME",
  REMOTE_HELPER_TRANSPORT: "REMOTE_HELPER_TRANSPORT",
  INVALID_CLONE_URL: "INVALID_CLONE_URL",
  OPTION_INJECTION: "OPTION_INJECTION",
  INVALID_BRANCH: "INVALID_BRANCH",
  INVALID_CHANGESET: "INVALID_CHANGESET",
  BRANCH_AND_CHANGESET: "BRANCH_AND_CHANGESET",
  UNSAFE_PATH: "UNSAFE_PATH",
  CONTROL_CHARACTER: "CONTROL_CHARACTER",
  CANNOT_DERIVE: "CANNOT_DERIVE",
  DUPLICATE_ROW: "DUPLICATE_ROW",
} as const;

/** Typed error of @mass-ingest/partition: a stable `code`, a message naming the file/row/setting, and a `hint`. */
export class PartitionError extends Error {
  override name = "PartitionError";
  /** Stable code, see ERROR_CODES. */
  code: string;
  /** What to do about it. */
  hint?: string;
  /** For "INVALID_ROWS": every problem found. */
  issues?: ValidationIssue[];

  constructor(code: string, message: string, options: { hint?: string; issues?: ValidationIssue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.issues !== undefined) this.issues = options.issues;
  }
}

/** One line for a human: `line 7 (row 6), column "branch", value "a..b": <message>`. */
export function formatIssue(issue: ValidationIssue): string {
  let out = `line ${issue.line} (row ${issue.row})`;
  if (issue.column !== undefined) out += `, column "${issue.column}"`;
  if (issue.value !== undefined) out += `, value "${issue.value}"`;
  return `${out}: ${issue.message}`;
}
