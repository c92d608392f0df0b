/**
 * What one processor job's parameters mean: the values the chunker writes into them, how the processor reads them
 * back, and which partition (which rows) an AWS Batch array child runs. The chunker, batch, the state and the
 * processor all call these functions, so the mapping is written once.
 */
import { ARRAY_INDEX_ENV, PROCESSOR_PARAMETER_DEFAULTS, PROCESSOR_PARAMETERS, type ProcessorParameters } from "./parameters.js";
import type { RowRange } from "./outcome.js";

/** Codes of {@link JobParameterError}. */
export const JOB_PARAMETER_ERROR_CODES = {
  /** The `partitions` parameter or the partition size is not usable. */
  INVALID_PARTITIONS: "INVALID_PARTITIONS",
  /** An array index that has no partition. */
  INVALID_ARRAY_INDEX: "INVALID_ARRAY_INDEX",
  /** A row count, size or index that is not a whole number in range. */
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
} as const;

/**
 * A job parameter that cannot be used: a stable `code` (see JOB_PARAMETER_ERROR_CODES), a message naming the
 * parameter and a `hint`. Always bad input: callers with their own error base (e.g. `@mass-ingest/partition`'s
 * selectJobRows) re-throw it as theirs with exit code 2.
 */
export class JobParameterError extends Error {
  override name = "JobParameterError";
  readonly code: string;
  readonly hint?: string;
  /** Bad input or configuration: nothing was attempted. */
  readonly exitCode = 2 as const;

  constructor(code: string, message: string, options: { hint?: string } = {}) {
    super(message);
    this.code = code;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** What a job's parameters say, in numbers. */
export interface ProcessorParameterValues {
  csv: string;
  partitionSize: number;
  rowCount: number;
  runId: string;
  /** 0 = not set. */
  start?: number;
  /** 0 = not set. */
  end?: number;
  /** "all" (child i runs partition i + 1) or the partition numbers in array-index order. */
  partitions?: "all" | readonly number[];
  /** The run's manifest (path or `s3://`); unset = "none": the rows come from start/end/partitions. */
  plan?: string;
}

/**
 * Build the Batch `parameters` map for the processor job definition (names from PROCESSOR_PARAMETERS,
 * every value a string, unset values as the contract's "not set" values).
 */
export function buildProcessorParameters(values: ProcessorParameterValues): Record<string, string> {
  const p: ProcessorParameters = {
    ...PROCESSOR_PARAMETER_DEFAULTS,
    csv: values.csv,
    partitionSize: String(values.partitionSize),
    rowCount: String(values.rowCount),
    runId: values.runId,
    start: String(values.start ?? 0),
    end: String(values.end ?? 0),
    partitions: formatPartitions(values.partitions ?? "all"),
    plan: values.plan ?? PROCESSOR_PARAMETER_DEFAULTS.plan,
  };
  // Keyed by the contract's parameter names (identical to the keys today; kept explicit for renames).
  const out: Record<string, string> = {};
  for (const key of Object.keys(p) as (keyof ProcessorParameters)[]) out[PROCESSOR_PARAMETERS[key]] = p[key];
  return out;
}

/**
 * Format partition numbers for the `partitions` parameter: "all", or a comma list in array-index order where
 * runs of consecutive numbers are written as "a-b" ("3,7,10-12") to keep the parameter short.
 */
export function formatPartitions(partitions: "all" | readonly number[]): string {
  if (partitions === "all") return "all";
  const parts: string[] = [];
  let i = 0;
  while (i < partitions.length) {
    const first = partitions[i]!;
    let j = i;
    while (j + 1 < partitions.length && partitions[j + 1] === partitions[j]! + 1) j++;
    const last = partitions[j]!;
    parts.push(j - i >= 2 ? `${first}-${last}` : j > i ? `${first},${last}` : String(first));
    i = j + 1;
  }
  return parts.join(",");
}

/** Parse the `partitions` parameter ("all", "3,7,12", "10-12,15"); throws JobParameterError "INVALID_PARTITIONS". */
export function parsePartitions(value: string): "all" | number[] {
  const v = value.trim();
  if (v === "" || v.toLowerCase() === "all") return "all";
  const out: number[] = [];
  for (const piece of v.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(piece);
    const first = m ? Number(m[1]) : NaN;
    const last = m?.[2] !== undefined ? Number(m[2]) : first;
    if (!m || first < 1 || last < first || !Number.isSafeInteger(last)) {
      throw new JobParameterError(
        JOB_PARAMETER_ERROR_CODES.INVALID_PARTITIONS,
        `--partitions "${value}": "${piece}" is not a partition number or range.`,
        {
          hint: 'Use "all", or 1-based partition numbers separated by commas, ranges as "a-b" (e.g. "3,7,10-12").',
        },
      );
    }
    for (let n = first; n <= last; n++) out.push(n);
  }
  return out;
}

/** The array index AWS Batch gave this child (ARRAY_INDEX_ENV), or undefined when unset or empty. */
export function arrayIndexFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env[ARRAY_INDEX_ENV];
  return raw !== undefined && raw.trim() !== "" ? Number(raw) : undefined;
}

/**
 * Which partition (1-based) array child `arrayIndex` (0-based) runs: `arrayIndex + 1` for "all", else the
 * `arrayIndex`-th number of the `partitions` list. A plain job passes 0: the first listed partition, or partition 1.
 * Throws JobParameterError "INVALID_ARRAY_INDEX" for a negative or fractional index and for one past the list.
 */
export function partitionOfArrayIndex(partitions: "all" | readonly number[], arrayIndex: number): number {
  if (!Number.isSafeInteger(arrayIndex) || arrayIndex < 0) {
    throw new JobParameterError(JOB_PARAMETER_ERROR_CODES.INVALID_ARRAY_INDEX, `Array index ${arrayIndex} is not a non-negative integer.`, {
      hint: `${ARRAY_INDEX_ENV} must be set by AWS Batch for array children.`,
    });
  }
  if (partitions === "all") return arrayIndex + 1;
  const n = partitions[arrayIndex];
  if (n === undefined) {
    throw new JobParameterError(
      JOB_PARAMETER_ERROR_CODES.INVALID_ARRAY_INDEX,
      `Array index ${arrayIndex} is outside --partitions (${partitions.length} partitions listed).`,
      { hint: "The array size must equal the number of partitions listed." },
    );
  }
  return n;
}

function wholeNumber(n: number, what: string, min: number): void {
  if (!Number.isSafeInteger(n) || n < min) {
    throw new JobParameterError(JOB_PARAMETER_ERROR_CODES.INVALID_ARGUMENT, `${what} must be a whole number >= ${min}, got ${String(n)}.`, {
      hint: `Pass a whole number of at least ${min}.`,
    });
  }
}

/**
 * The rows of 1-based partition `partition` for a plan of `partitionSize` rows over `rowCount` rows (0 = unknown:
 * a full partition). Throws JobParameterError "INVALID_ARGUMENT" for a partition that starts after the last row.
 */
export function partitionRange(partition: number, partitionSize: number, rowCount: number): RowRange {
  const start = (partition - 1) * partitionSize + 1;
  if (rowCount === 0) return { start, end: partition * partitionSize };
  wholeNumber(partition - 1, "array index", 0);
  wholeNumber(partitionSize, "partition size", 1);
  wholeNumber(rowCount, "rowCount", 0);
  if (start > rowCount) {
    throw new JobParameterError(
      JOB_PARAMETER_ERROR_CODES.INVALID_ARGUMENT,
      `Array index ${partition - 1} with partition size ${partitionSize} starts at row ${start}, but there are only ${rowCount} rows.`,
      {
        hint: `Valid array indexes are 0..${Math.max(0, Math.ceil(rowCount / partitionSize) - 1)}; check that the csv did not change since planning.`,
      },
    );
  }
  return { start, end: Math.min(start + partitionSize - 1, rowCount) };
}

/** A job's parameters as resolveProcessorRange reads them (numbers: 0 = not set / unknown). */
export interface ProcessorRangeParameters {
  start: number;
  end: number;
  partitions: "all" | readonly number[];
  partitionSize: number;
  rowCount: number;
}

function checkSize(p: ProcessorRangeParameters): void {
  if (!Number.isSafeInteger(p.partitionSize) || p.partitionSize < 1) {
    throw new JobParameterError(
      JOB_PARAMETER_ERROR_CODES.INVALID_PARTITIONS,
      `--partition-size ${p.partitionSize} must be a positive integer.`,
      {
        hint: "The job's partitionSize parameter must match the plan the chunker made.",
      },
    );
  }
}

/** Partition `partition`'s rows (partition included), refusing one that starts after the planned row count. */
function rowsOfPartition(p: ProcessorRangeParameters, partition: number): RowRange & { partition: number } {
  checkSize(p);
  if (p.rowCount > 0 && (partition - 1) * p.partitionSize + 1 > p.rowCount) {
    throw new JobParameterError(
      JOB_PARAMETER_ERROR_CODES.INVALID_ARRAY_INDEX,
      `Partition ${partition} starts after the last row (${p.rowCount} rows, ${p.partitionSize} per partition).`,
      { hint: "The csv changed since the run was planned, or the array size does not match the plan; re-plan the run." },
    );
  }
  return { partition, ...partitionRange(partition, p.partitionSize, p.rowCount) };
}

/**
 * Which rows a processor runs, from its parsed parameters and the array index (if any):
 * - array child (index given): partition = partitionOfArrayIndex(partitions, index), rows from the plan;
 * - plain job with start/end > 0: exactly those rows (partition set when `partitions` names one);
 * - plain job whose `partitions` names one partition: that partition's rows;
 * - otherwise "all" rows.
 * Throws JobParameterError "INVALID_ARRAY_INDEX" when the index has no partition, "INVALID_PARTITIONS" for bad sizes.
 */
export function resolveProcessorRange(p: ProcessorRangeParameters, arrayIndex?: number): (RowRange & { partition?: number }) | "all" {
  if (arrayIndex !== undefined) {
    const partition = partitionOfArrayIndex(p.partitions, arrayIndex);
    return rowsOfPartition(p, partition);
  }
  const single = p.partitions !== "all" && p.partitions.length === 1 ? p.partitions[0] : undefined;
  if (p.start > 0 && p.end > 0) {
    return { ...(single !== undefined ? { partition: single } : {}), start: p.start, end: p.end };
  }
  return single !== undefined ? rowsOfPartition(p, single) : "all";
}
