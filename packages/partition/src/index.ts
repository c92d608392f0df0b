/**
 * @mass-ingest/partition: parse, validate and partition Moderne repos.csv files.
 * Streaming, hostile-input safe, deterministic plans. Pure apart from reading the csv.
 */
export type {
  CsvSource,
  HeaderInfo,
  ParseOptions,
  ParsedRecord,
  Plan,
  Range,
  RangePartition,
  ReadOptions,
  ReadResult,
  RepoRow,
  ValidationIssue,
  ValidationResult,
} from "./types.js";
export { ERROR_CODES, ISSUE_CODES, PartitionError, formatIssue } from "./errors.js";
export { parseRepos } from "./parse/repos.js";
export { countRows, readRepos, selectRange, selectRows, validateRepos } from "./read.js";
export { arrayIndexForRow, planByCount, planBySize, rangeForArrayIndex } from "./plan.js";
export { toCsv } from "./csv.js";
export { derivedSummary } from "./read/derived.js";
export { checkCloneUrl, type CloneUrlCheck, type CloneUrlParts } from "./url/check.js";
export { deriveOriginAndPath } from "./url/derive.js";
export { branchNameProblem } from "./refname.js";
export { KNOWN_COLUMNS } from "./header.js";
export { selectJobRows, type JobRows, type JobRowsOptions } from "./job/job-rows.js";
export { planCsv, type CsvPlan, type CsvPlanOptions } from "./job/plan-csv.js";
