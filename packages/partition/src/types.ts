/** One valid repos.csv data row. */
export interface RepoRow {
  /** 1-based data-row number: header excluded, blank lines not counted (what `--start`/`--end` mean). */
  row: number;
  /** 1-based physical line where the record starts in the file (the header is line 1 unless blank lines precede it). */
  line: number;
  cloneUrl: string;
  branch?: string;
  /** A commit (7 to 40 hex characters); only with `branch` (the branch it is on), as repos.csv requires. */
  changeset?: string;
  /** Given, or derived from `cloneUrl` (e.g. "github.com", "mycompany.com/bitbucket"). */
  origin: string;
  /** Given, or derived from `cloneUrl` (e.g. "org/repo"). */
  path: string;
  /** The first alternateCloneUrl (fallback URL), when the row has one. */
  alternateCloneUrl?: string;
  /** Every non-empty alternateCloneUrl of the row, in column order (the column may repeat). */
  alternateCloneUrls?: string[];
  /** Which of origin and path were not given and were derived from `cloneUrl` (the CLI requires both). */
  derived?: Array<"origin" | "path">;
  java?: string;
  jvmopts?: string;
  mavenArgs?: string;
  gradleArgs?: string;
  /** org1, org2, ... in column-number order; empty strings dropped from the end. */
  orgs: string[];
  /**
   * The org columns of later rows that list the same repository (clone URL and branch) under other
   * organizations, as Moderne's repos.csv does (one row per organization), in file order. The repository is
   * built once, with this row; `toCsv` writes one line per organization so none is lost.
   */
  otherOrgs?: string[][];
  /** Unknown columns, kept verbatim (header name as written -> value). */
  extra: Record<string, string>;
}

/** One problem found in one row (or, for duplicates, one row repeating an earlier one). */
export interface ValidationIssue {
  /** Stable machine-readable code, e.g. "INVALID_BRANCH" (see `ISSUE_CODES`). */
  code: string;
  /** 1-based data-row number. */
  row: number;
  /** 1-based physical line where the record starts. */
  line: number;
  /** Column (as named in the header) the problem is in, when it is about one column. */
  column?: string;
  /** The offending value: truncated, control characters escaped, credentials redacted. */
  value?: string;
  /** What is wrong and what to do about it. */
  message: string;
  /** For "ORGANIZATION_LISTING": the row the repository is built with. */
  firstRow?: number;
  /** The row's clone URL as written (credentials redacted, control characters escaped), when it had one. */
  cloneUrl?: string;
}

/** What `parseRepos` yields for every data record: the valid row, or its problems. */
export type ParsedRecord = { ok: true; repo: RepoRow } | { ok: false; row: number; line: number; issues: ValidationIssue[] };

/** Header facts, reported once per file to `ParseOptions.onHeader`. */
export interface HeaderInfo {
  /** Column names as written in the header. */
  columns: string[];
  /** Columns mass-ingest does not know; their values are kept in `RepoRow.extra`. */
  unknownColumns: string[];
  /** Physical line of the header. */
  line: number;
}

export interface ParseOptions {
  /** Accept `file://` clone URLs (local use and tests only). Default false. */
  allowFileUrls?: boolean;
  /** Called once with the header, before the first record is yielded. */
  onHeader?: (header: HeaderInfo) => void;
}

/** A repos.csv: a file path, or any async iterable of text/byte chunks (a Node readable stream is one). */
export type CsvSource = string | AsyncIterable<string | Uint8Array>;

export interface ReadOptions extends ParseOptions {
  /** strict (default): any invalid row throws PartitionError "INVALID_ROWS". lenient: invalid rows are reported and left out. */
  mode?: "strict" | "lenient";
}

export interface ReadResult {
  /** Valid rows, in file order, duplicates removed (first occurrence kept). */
  repos: RepoRow[];
  /** Problems of invalid rows (lenient mode; strict mode throws instead). */
  issues: ValidationIssue[];
  /** One "DUPLICATE_ROW" issue per row that repeats an earlier row's clone URL, branch and organizations. */
  duplicates: ValidationIssue[];
  /**
   * One "ORGANIZATION_LISTING" note per row that lists an earlier row's repository (same clone URL and branch)
   * under other organizations: not a mistake; the repository is built once, with the earlier row, whose
   * `otherOrgs` holds these organizations when both rows are read together.
   */
  sharedRows: ValidationIssue[];
  /**
   * One "DERIVED_ORIGIN_PATH" notice per valid row whose origin or path was not given and was derived from its
   * clone URL (the CLI requires both columns): not an error; log it so the list can be completed.
   */
  derived?: ValidationIssue[];
  /** Unknown header columns, reported once. */
  unknownColumns: string[];
  /** Data rows read (valid or not). For selectRange/selectRows: rows of the selection present in the file. */
  rowCount: number;
}

/** Like ReadResult without the rows: what `validateRepos` returns. */
export type ValidationResult = Omit<ReadResult, "repos">;

/** 1-based inclusive row range. */
export interface Range {
  start: number;
  end: number;
}

/** A range with its 1-based partition number. */
export interface RangePartition extends Range {
  partition: number;
}

/** Contiguous partitions covering rows 1..rowCount. */
export interface Plan {
  rowCount: number;
  /** Set for size-based plans: every partition has this many rows except possibly the last. */
  partitionSize?: number;
  partitions: RangePartition[];
}
