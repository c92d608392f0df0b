import { PROCESSOR_PARAMETER_DEFAULTS, PROCESSOR_PARAMETERS, type ProcessorParameters, type RowRange } from "@mass-ingest/contract";
import { ERROR_CODES, PartitionError } from "../errors.js";
import { rangeForArrayIndex } from "../plan.js";

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

/** Parse the `partitions` parameter ("all", "3,7,12", "10-12,15"); throws PartitionError "INVALID_PARTITIONS". */
export function parsePartitions(value: string): "all" | number[] {
  const v = value.trim();
  if (v === "" || v.toLowerCase() === "all") return "all";
  const out: number[] = [];
  for (const piece of v.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(piece);
    const first = m ? Number(m[1]) : NaN;
    const last = m?.[2] !== undefined ? Number(m[2]) : first;
    if (!m || first < 1 || last < first || !Number.isSafeInteger(last)) {
      throw new PartitionError(ERROR_CODES.INVALID_PARTITIONS, `--partitions "${value}": "${piece}" is not a partition number or range.`, {
        hint: 'Use "all", or 1-based partition numbers separated by commas, ranges as "a-b" (e.g. "3,7,10-12").',
      });
    }
    for (let n = first; n <= last; n++) out.push(n);
  }
  return out;
}

/** The rows of 1-based partition `partition` for a plan of `partitionSize` rows over `rowCount` rows (0 = unknown). */
export function partitionRange(partition: number, partitionSize: number, rowCount: number): RowRange {
  if (rowCount > 0) {
    const r = rangeForArrayIndex(partition - 1, partitionSize, rowCount);
    return { start: r.start, end: r.end };
  }
  return { start: (partition - 1) * partitionSize + 1, end: partition * partitionSize };
}

/**
 * Which rows a processor runs, from its parsed parameters and the array index (if any):
 * - array child (index given): partition = partitions[index] (or index + 1 for "all"), rows from the plan;
 * - plain job with start/end > 0: exactly those rows (partition set when `partitions` names one);
 * - plain job whose `partitions` names one partition: that partition's rows;
 * - otherwise "all" rows.
 * Throws PartitionError "INVALID_ARRAY_INDEX" when the index has no partition, "INVALID_PARTITIONS" for bad sizes.
 */
export function resolveProcessorRange(
  p: { start: number; end: number; partitions: "all" | readonly number[]; partitionSize: number; rowCount: number },
  arrayIndex?: number,
): (RowRange & { partition?: number }) | "all" {
  const needSize = () => {
    if (!Number.isSafeInteger(p.partitionSize) || p.partitionSize < 1) {
      throw new PartitionError(ERROR_CODES.INVALID_PARTITIONS, `--partition-size ${p.partitionSize} must be a positive integer.`, {
        hint: "The job's partitionSize parameter must match the plan the chunker made.",
      });
    }
  };
  const checkInside = (partition: number) => {
    if (p.rowCount > 0 && (partition - 1) * p.partitionSize + 1 > p.rowCount) {
      throw new PartitionError(
        ERROR_CODES.INVALID_ARRAY_INDEX,
        `Partition ${partition} starts after the last row (${p.rowCount} rows, ${p.partitionSize} per partition).`,
        { hint: "The csv changed since the run was planned, or the array size does not match the plan; re-plan the run." },
      );
    }
  };
  if (arrayIndex !== undefined) {
    if (!Number.isSafeInteger(arrayIndex) || arrayIndex < 0) {
      throw new PartitionError(ERROR_CODES.INVALID_ARRAY_INDEX, `Array index ${arrayIndex} is not a non-negative integer.`, {
        hint: "AWS_BATCH_JOB_ARRAY_INDEX must be set by AWS Batch for array children.",
      });
    }
    needSize();
    let partition: number;
    if (p.partitions === "all") partition = arrayIndex + 1;
    else {
      const n = p.partitions[arrayIndex];
      if (n === undefined) {
        throw new PartitionError(
          ERROR_CODES.INVALID_ARRAY_INDEX,
          `Array index ${arrayIndex} is outside --partitions (${p.partitions.length} partitions listed).`,
          { hint: "The array size must equal the number of partitions listed." },
        );
      }
      partition = n;
    }
    checkInside(partition);
    return { partition, ...partitionRange(partition, p.partitionSize, p.rowCount) };
  }
  const single = p.partitions !== "all" && p.partitions.length === 1 ? p.partitions[0] : undefined;
  if (p.start > 0 && p.end > 0) {
    return { ...(single !== undefined ? { partition: single } : {}), start: p.start, end: p.end };
  }
  if (single !== undefined) {
    needSize();
    checkInside(single);
    return { partition: single, ...partitionRange(single, p.partitionSize, p.rowCount) };
  }
  return "all";
}
