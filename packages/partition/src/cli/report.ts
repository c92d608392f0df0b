/** What the partition CLI prints about a validated csv: problems and counts on stderr, the verdict line. */
import { formatIssue } from "../errors.js";
import { derivedSummary } from "../read/derived.js";
import type { ValidationIssue, ValidationResult } from "../types.js";

function printIssues(title: string, issues: readonly ValidationIssue[], limit = 50): void {
  if (issues.length === 0) return;
  process.stderr.write(`${title}:\n`);
  for (const issue of issues.slice(0, limit)) process.stderr.write(`  ${formatIssue(issue)}\n`);
  if (issues.length > limit) process.stderr.write(`  ... and ${issues.length - limit} more (use --json for all)\n`);
}

/** Data rows with at least one problem. */
function invalidRowCount(result: ValidationResult): number {
  return new Set(result.issues.map((i) => i.row)).size;
}

/** True when --strict fails: any invalid row. */
export function failed(result: ValidationResult, strict: boolean): boolean {
  return strict && result.issues.length > 0;
}

/** Problems, unknown columns and the counts, on stderr. */
export function reportText(csv: string, result: ValidationResult, strict: boolean): void {
  const invalid = invalidRowCount(result);
  const valid = result.rowCount - invalid - result.duplicates.length;
  printIssues(strict ? "Invalid rows" : "Invalid rows (left out)", result.issues);
  printIssues("Duplicate rows (left out, first occurrence kept)", result.duplicates);
  printIssues("Repositories listed once per organization (built once, every organization kept)", result.sharedRows ?? []);
  const derived = derivedSummary(result.derived);
  if (derived !== undefined) process.stderr.write(`Notice: ${derived}\n`);
  if (result.unknownColumns.length > 0) {
    process.stderr.write(`Unknown columns (kept as extra values): ${result.unknownColumns.join(", ")}\n`);
  }
  process.stderr.write(`${csv}: ${result.rowCount} rows, ${valid} valid, ${invalid} invalid, ${result.duplicates.length} duplicate(s).\n`);
  if (strict && invalid > 0) {
    process.stderr.write("Fix the rows listed above (or run without --strict to leave them out).\n");
  }
}

/** What `validate` prints on stdout: "OK" | "VALID WITH PROBLEMS" | "INVALID". */
type Verdict = "OK" | "VALID WITH PROBLEMS" | "INVALID";

/**
 * The verdict line of `validate`: "OK" only when every row is valid and none repeats another; "INVALID" when
 * --strict fails; otherwise "VALID WITH PROBLEMS: ..." saying what will be left out.
 */
export function verdictOf(result: ValidationResult, strict: boolean): { verdict: Verdict; line: string } {
  if (failed(result, strict)) return { verdict: "INVALID", line: "INVALID" };
  const invalid = invalidRowCount(result);
  const duplicates = result.duplicates.length;
  if (invalid === 0 && duplicates === 0) return { verdict: "OK", line: "OK" };
  const parts = [...(invalid > 0 ? [`${invalid} invalid row(s)`] : []), ...(duplicates > 0 ? [`${duplicates} duplicate row(s)`] : [])];
  const none = result.rowCount - invalid - duplicates === 0 ? "; no valid row remains" : "";
  return { verdict: "VALID WITH PROBLEMS", line: `VALID WITH PROBLEMS: ${parts.join(" and ")} will be left out${none}` };
}
