import { ERROR_CODES, PartitionError, formatIssue } from "../errors.js";
import { planBySize } from "../plan.js";
import { readRepos, validateRepos } from "../read.js";
import type { CsvSource, Plan, RepoRow, ValidationIssue } from "../types.js";

export interface CsvPlanOptions {
  /** Opens repos.csv for one streaming pass, e.g. `() => openCsv(csv)` of `@mass-ingest/core/aws`. */
  open: () => Promise<CsvSource>;
  /** Rows per partition. */
  partitionSize: number;
  /** Any invalid row throws PartitionError "INVALID_ROWS" listing every problem (nothing is planned). */
  strict?: boolean;
  /** How many invalid rows, and how many duplicates, `examples` names (all are counted). Default 5. */
  examples?: number;
  /** Keep the valid rows (`repos`, `derived`) from the same pass, for a caller that needs them: no second read. */
  keepRepos?: boolean;
}

/** What a chunker learns from repos.csv before it submits anything. */
export interface CsvPlan {
  /** Over every data row: the processors select their ranges by row number, invalid rows included. */
  plan: Plan;
  /** Data rows with at least one problem (the processors leave them out). */
  invalidRows: number;
  /** Rows repeating an earlier row's clone URL and branch (left out; the first is kept). */
  duplicateRows: number;
  /** The first problem of the first few invalid rows, then the first few duplicates. */
  examples: ValidationIssue[];
  /** With `keepRepos`: the valid rows, as readRepos (lenient) returns them, and its derived-column notices. */
  repos?: RepoRow[];
  derived?: ValidationIssue[];
}

const listIssues = (issues: readonly ValidationIssue[]): string => issues.map((i) => `  ${formatIssue(i)}`).join("\n");

/**
 * Validate repos.csv (`csv` names it in messages; `open` reads it) in one streaming pass, rows kept only with
 * `keepRepos`, and plan it by size.
 * Throws PartitionError "EMPTY_CSV" when it has no data row, PartitionError for file-level problems (no cloneUrl
 * header, malformed csv) and, with `strict`, PartitionError "INVALID_ROWS" naming every invalid row and duplicate.
 */
export async function planCsv(csv: string, options: CsvPlanOptions): Promise<CsvPlan> {
  const { partitionSize, strict = false, examples = 5, open, keepRepos = false } = options;
  const read = keepRepos ? readRepos : validateRepos;
  const result: Awaited<ReturnType<typeof validateRepos>> & { repos?: RepoRow[] } = await read(await open(), { mode: "lenient" }).catch(
    (error: unknown) => {
      // The parser sees only a stream: name the file the user gave.
      if (error instanceof PartitionError && error.code === ERROR_CODES.EMPTY_FILE) {
        throw new PartitionError(ERROR_CODES.EMPTY_FILE, `${csv} is empty: no header row.`, error.hint ? { hint: error.hint } : {});
      }
      throw error;
    },
  );
  if (result.rowCount === 0) {
    throw new PartitionError(ERROR_CODES.EMPTY_CSV, `${csv} has no data rows.`, {
      hint: "Add repositories below the header (cloneUrl,branch,...).",
    });
  }
  const invalidRows = new Set(result.issues.map((i) => i.row)).size;
  const duplicateRows = result.duplicates.length;
  if (strict && invalidRows > 0) {
    throw new PartitionError(
      ERROR_CODES.INVALID_ROWS,
      `${invalidRows} of ${result.rowCount} row(s) of ${csv} are invalid (${result.issues.length} problem(s)); nothing submitted:\n${listIssues(result.issues)}` +
        (duplicateRows > 0
          ? `\n${duplicateRows} duplicate row(s) (left out, the first occurrence is kept):\n${listIssues(result.duplicates)}`
          : ""),
      { hint: "Fix the rows listed, or submit without --strict to leave invalid rows out (the processors skip them)." },
    );
  }
  // one issue per invalid row (a row's issues are adjacent), then the duplicates
  const firstPerRow = result.issues.filter((issue, k, all) => k === 0 || all[k - 1]!.row !== issue.row);
  return {
    plan: planBySize(result.rowCount, partitionSize),
    invalidRows,
    duplicateRows,
    examples: [...firstPerRow.slice(0, examples), ...result.duplicates.slice(0, examples)],
    ...(result.repos !== undefined ? { repos: result.repos, ...(result.derived !== undefined ? { derived: result.derived } : {}) } : {}),
  };
}
