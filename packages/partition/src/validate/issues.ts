/** The problems of one row, and the small per-field checks that add to them. */
import { ISSUE_CODES } from "../errors.js";
import type { Layout } from "../header.js";
import { displayValue, hasControlChar, unsafePathReason } from "../text.js";
import type { ValidationIssue } from "../types.js";

/** The trimmed field at column `i` ("" when the column is absent, i < 0, or the record is short). */
export function field(fields: string[], i: number): string {
  if (i < 0) return "";
  const v = fields[i];
  return v === undefined ? "" : v.trim();
}

/** The issues of one row; `list` stays undefined while the row is valid (no allocation on the hot path). */
export class IssueList {
  list: ValidationIssue[] | undefined;
  constructor(
    private readonly layout: Layout,
    private readonly row: number,
    private readonly line: number,
  ) {}
  add(code: string, columnIndex: number, value: string | undefined, message: string): void {
    const issue: ValidationIssue = { code, row: this.row, line: this.line, message };
    if (columnIndex >= 0) issue.column = this.layout.names[columnIndex] ?? `column ${columnIndex + 1}`;
    if (value !== undefined) issue.value = displayValue(value);
    (this.list ??= []).push(issue);
  }
}

/** False (and an OPTION_INJECTION issue) when `value` starts with "-". */
export function checkOptionLike(issues: IssueList, idx: number, value: string, what: string): boolean {
  if (value.charCodeAt(0) === 0x2d) {
    issues.add(
      ISSUE_CODES.OPTION_INJECTION,
      idx,
      value,
      `The ${what} starts with "-", which git would read as an option. Remove the leading "-".`,
    );
    return false;
  }
  return true;
}

/** An UNSAFE_PATH issue when a path-like value (origin, path, organization) could leave its folder. */
export function checkPathLike(issues: IssueList, idx: number, value: string, what: string): void {
  const reason = unsafePathReason(value);
  if (reason !== undefined) {
    const advice =
      what === "organization"
        ? 'it becomes a folder name, so it must be a plain relative name like "Platform". Fix it.'
        : `it must be a relative path like "${what === "origin" ? "github.com" : "org/repo"}". Fix it or leave it empty to derive it from cloneUrl.`;
    issues.add(ISSUE_CODES.UNSAFE_PATH, idx, value, `The ${what} ${reason}; ${advice}`);
  }
}

/** A CONTROL_CHARACTER issue for a build setting holding a newline, NUL, ... (tabs are fine). */
export function checkControl(issues: IssueList, idx: number, value: string): void {
  if (hasControlChar(value, true)) {
    issues.add(ISSUE_CODES.CONTROL_CHARACTER, idx, value, "The value contains a control character (newline, NUL, ...). Remove it.");
  }
}
