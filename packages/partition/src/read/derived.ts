/** Notices for rows whose origin or path was derived from the clone URL: the CLI requires both columns. */
import { ISSUE_CODES } from "../errors.js";
import { displayValue } from "../text.js";
import type { RepoRow, ValidationIssue } from "../types.js";

/** One DERIVED_ORIGIN_PATH notice; with the row built, it names the derived values. */
export function derivedNotice(
  row: number,
  line: number,
  cloneUrl: string,
  fields: ReadonlyArray<"origin" | "path">,
  repo?: RepoRow,
): ValidationIssue {
  const values = repo === undefined ? "" : `: ${fields.map((f) => `${f} "${displayValue(repo[f])}"`).join(", ")}`;
  return {
    code: ISSUE_CODES.DERIVED_ORIGIN_PATH,
    row,
    line,
    column: fields.join(","),
    message: `${fields.join(" and ")} not given, derived from the clone URL${values}. The CLI requires both; set them in repos.csv to keep them stable.`,
    cloneUrl: displayValue(cloneUrl),
  };
}

/** The notices of built rows that carry `derived`. */
export function derivedNotices(repos: readonly RepoRow[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const r of repos) if (r.derived !== undefined) out.push(derivedNotice(r.row, r.line, r.cloneUrl, r.derived, r));
  return out;
}

/** One line for a log: how many rows had origin/path derived, and the first few row numbers. */
export function derivedSummary(notices: readonly ValidationIssue[] | undefined): string | undefined {
  if (notices === undefined || notices.length === 0) return undefined;
  const rows = notices.slice(0, 10).map((n) => n.row);
  const more = notices.length > 10 ? ", ..." : "";
  return `origin/path derived from cloneUrl for ${notices.length} row(s) (rows ${rows.join(", ")}${more}): the CLI requires both columns; set them in repos.csv to keep them stable`;
}
