import { MassIngestError } from "@mass-ingest/core";
import type { ValidationIssue } from "./types.js";

/** Stable codes of file-level and argument errors thrown as PartitionError. */
export const ERROR_CODES = {
  EMPTY_FILE: "EMPTY_FILE",
  MISSING_CLONE_URL_HEADER: "MISSING_CLONE_URL_HEADER",
  DUPLICATE_COLUMN: "DUPLICATE_COLUMN",
  MALFORMED_CSV: "MALFORMED_CSV",
  INVALID_ENCODING: "INVALID_ENCODING",
  SOURCE_UNREADABLE: "SOURCE_UNREADABLE",
  INVALID_ROWS: "INVALID_ROWS",
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  /** planCsv: the csv has a header and no data row. */
  EMPTY_CSV: "EMPTY_CSV",
  /** selectJobRows: the csv's row count differs from the planned one. */
  CSV_CHANGED: "CSV_CHANGED",
  /** selectJobRows: the selection holds no row. */
  NOTHING_SELECTED: "NOTHING_SELECTED",
  /** selectJobRows: a half-given or reversed start/end. */
  INVALID_SETTING: "INVALID_SETTING",
  /** The `partitions` parameter or the partition size is not usable. */
  INVALID_PARTITIONS: "INVALID_PARTITIONS",
  /** An array index that has no partition. */
  INVALID_ARRAY_INDEX: "INVALID_ARRAY_INDEX",
} as const;

/** Stable codes of row-level validation issues. */
export const ISSUE_CODES = {
  MISSING_CLONE_URL: "MISSING_CLONE_URL",
  TOO_MANY_FIELDS: "TOO_MANY_FIELDS",
  UNSUPPORTED_URL_SCHEME: "UNSUPPORTED_URL_SCHEME",
  REMOTE_HELPER_TRANSPORT: "REMOTE_HELPER_TRANSPORT",
  INVALID_CLONE_URL: "INVALID_CLONE_URL",
  OPTION_INJECTION: "OPTION_INJECTION",
  CREDENTIALS_IN_URL: "CREDENTIALS_IN_URL",
  INVALID_BRANCH: "INVALID_BRANCH",
  INVALID_CHANGESET: "INVALID_CHANGESET",
  CHANGESET_WITHOUT_BRANCH: "CHANGESET_WITHOUT_BRANCH",
  UNSAFE_PATH: "UNSAFE_PATH",
  CONTROL_CHARACTER: "CONTROL_CHARACTER",
  CANNOT_DERIVE: "CANNOT_DERIVE",
  DUPLICATE_ROW: "DUPLICATE_ROW",
  /** Not a problem: origin and/or path were not given and were derived from the clone URL. */
  DERIVED_ORIGIN_PATH: "DERIVED_ORIGIN_PATH",
  /** Not a problem: the same repository listed again under other organizations (built once). */
  ORGANIZATION_LISTING: "ORGANIZATION_LISTING",
} as const;

/**
 * Typed error of @mass-ingest/partition: a stable `code` (see ERROR_CODES), a message naming the
 * file/row/setting, and a `hint`. Always bad input: `exitCode` 2.
 */
export class PartitionError extends MassIngestError {
  override name = "PartitionError";
  /** For "INVALID_ROWS": every problem found. */
  issues?: ValidationIssue[];

  constructor(code: string, message: string, options: { hint?: string; issues?: ValidationIssue[]; cause?: unknown } = {}) {
    super(code, message, { ...(options.hint !== undefined ? { hint: options.hint } : {}), cause: options.cause, exitCode: 2 });
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
