import { JobParameterError, parsePartitions, resolveProcessorRange, type RowRange, type SkippedRow } from "@mass-ingest/contract";
import { derivedSummary } from "../read/derived.js";
import { ERROR_CODES, PartitionError } from "../errors.js";
import { countRows, readRepos, selectRange } from "../read.js";
import type { CsvSource, ReadResult, RepoRow } from "../types.js";

/** The job's parameters (see PROCESSOR_PARAMETERS); numbers use 0 for "not set". */
export interface JobRowsOptions {
  /** Where repos.csv is (a path, `s3://bucket/key`, `http(s)://`): named in messages. */
  csv: string;
  /**
   * Opens repos.csv for one streaming pass; called once or twice (a count, then the read). Callers pass
   * e.g. `() => openCsv(csv)` of `@mass-ingest/core/aws`; its errors propagate unchanged.
   */
  open: () => Promise<CsvSource>;
  /** First / last row, 1-based inclusive; both 0 = not set. */
  start: number;
  end: number;
  /** The `partitions` parameter ("all", "3,7,10-12") or its parsed form. */
  partitions: string | readonly number[];
  /** Rows per partition of the plan. */
  partitionSize: number;
  /** Rows the csv had when the run was planned; checked when > 0. */
  rowCount: number;
  /** AWS_BATCH_JOB_ARRAY_INDEX of an array child (see the contract's arrayIndexFromEnv). */
  arrayIndex?: number;
  /** Only rows whose org columns include this organization. */
  organization?: string;
}

/** What selectJobRows returns. */
export interface JobRows {
  /** The rows this job runs; undefined = the whole csv. `partition` when the job runs one partition of the plan. */
  range?: RowRange & { partition?: number };
  /** Valid rows to ingest, in file order. */
  repos: RepoRow[];
  /** Invalid and duplicate rows of the selection: one entry per row, reasons joined. */
  skipped: SkippedRow[];
  /** Lines to log, not problems: e.g. how many rows had origin/path derived from cloneUrl (`derivedSummary`). */
  notices?: string[];
}

/**
 * Which rows one processor job runs: the explicit range, the array child's partition, the one partition named,
 * or the whole csv; then only rows of `organization`. The csv is counted first when the range depends on its
 * size or `rowCount` is set (a different count throws PartitionError "CSV_CHANGED": the csv changed since the run was
 * planned). Rows are read leniently: invalid rows and duplicates become `skipped`, never an error. Throws
 * PartitionError "NOTHING_SELECTED" when the selection holds no row at all, "INVALID_SETTING" for a half-given or
 * reversed start/end, the errors of `open`, and those of the contract's parsePartitions and resolveProcessorRange
 * as PartitionError (same code, message and hint).
 */
export async function selectJobRows(options: JobRowsOptions): Promise<JobRows> {
  const { csv, organization } = options;
  const range = await jobRange(options).catch((error: unknown) => {
    if (!(error instanceof JobParameterError)) throw error;
    throw new PartitionError(error.code, error.message, { ...(error.hint !== undefined ? { hint: error.hint } : {}), cause: error });
  });
  const source = await options.open();
  const read: ReadResult = range
    ? await selectRange(source, { start: range.start, end: range.end }, { mode: "lenient" })
    : await readRepos(source, { mode: "lenient" });
  const inOrganization = (r: RepoRow) =>
    r.orgs.includes(organization as string) || (r.otherOrgs ?? []).some((o) => o.includes(organization as string));
  const repos = organization ? read.repos.filter(inOrganization) : read.repos;
  const skipped = skippedRows(read);
  if (repos.length === 0 && skipped.length === 0) {
    throw new PartitionError(
      ERROR_CODES.NOTHING_SELECTED,
      `${range ? `rows ${range.start}-${range.end}` : "the csv"}${organization ? ` with organization ${organization}` : ""} selects no repositories in ${csv}.`,
      { hint: "Check --start/--end, --organization and the csv." },
    );
  }
  const kept = new Set(repos.map((r) => r.row));
  const derived = derivedSummary(read.derived?.filter((n) => kept.has(n.row)));
  return { ...(range ? { range } : {}), repos, skipped, ...(derived !== undefined ? { notices: [derived] } : {}) };
}

/** The rows this job runs (undefined = all), counting the csv when the range depends on it or rowCount is set. */
async function jobRange(options: JobRowsOptions): Promise<JobRows["range"]> {
  const { csv, start, end } = options;
  if (start > 0 !== end > 0) {
    throw new PartitionError(ERROR_CODES.INVALID_SETTING, `--start and --end must be given together (got --start ${start} --end ${end}).`, {
      hint: "Give both, or neither (0 = not set).",
    });
  }
  if (start > end) {
    throw new PartitionError(ERROR_CODES.INVALID_SETTING, `--start ${start} is after --end ${end}.`, {
      hint: "Rows are 1-based and inclusive: --start <= --end.",
    });
  }
  const partitions = typeof options.partitions === "string" ? parsePartitions(options.partitions) : options.partitions;
  let rowCount = options.rowCount;
  const explicit = start > 0 && end > 0;
  if (rowCount > 0 || (!explicit && (options.arrayIndex !== undefined || partitions !== "all"))) {
    const actual = await countRows(await options.open());
    if (rowCount > 0 && actual !== rowCount) {
      throw new PartitionError(ERROR_CODES.CSV_CHANGED, `${csv} has ${actual} rows but the run was planned for --row-count ${rowCount}.`, {
        hint: "The csv changed since the run was planned: re-plan the run (chunker) or pass the current row count.",
      });
    }
    rowCount = actual;
  }
  const resolved = resolveProcessorRange({ start, end, partitions, partitionSize: options.partitionSize, rowCount }, options.arrayIndex);
  return resolved === "all" ? undefined : resolved;
}

/**
 * Invalid rows and duplicates (one entry per row, reasons joined), and other organizations' listings of a
 * repository whose first row this job does not read (that row's job builds it).
 */
function skippedRows(read: ReadResult): SkippedRow[] {
  const byRow = new Map<number, { messages: string[]; cloneUrl?: string }>();
  for (const issue of [...read.issues, ...read.duplicates]) {
    let entry = byRow.get(issue.row);
    if (!entry) byRow.set(issue.row, (entry = { messages: [] }));
    entry.messages.push(`${issue.code}: ${issue.message}`);
    entry.cloneUrl ??= issue.cloneUrl;
  }
  const skipped: SkippedRow[] = [...byRow].map(([row, { messages, cloneUrl }]) => ({
    row,
    reason: `invalid row, not ingested: ${messages.join("; ")}`,
    ...(cloneUrl !== undefined ? { cloneUrl } : {}),
  }));
  const built = new Set(read.repos.map((r) => r.row));
  for (const shared of read.sharedRows) {
    if (shared.firstRow !== undefined && !built.has(shared.firstRow)) {
      skipped.push({
        row: shared.row,
        reason: `built by the job that runs row ${shared.firstRow}: ${shared.message}`,
        ...(shared.cloneUrl !== undefined ? { cloneUrl: shared.cloneUrl } : {}),
      });
    }
  }
  return skipped;
}
