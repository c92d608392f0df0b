import { DEFAULTS } from "./defaults.js";

/**
 * The processor job's parameters: the chunker fills them, the infra app's job definition carries them as
 * `Ref::` placeholders, and the processor parses the command line they produce. Change a name here and all
 * three change together.
 */
export const PROCESSOR_PARAMETERS = {
  /** Where repos.csv is: a path inside the image, `s3://bucket/key` or `http(s)://`. */
  csv: "csv",
  /** Rows per partition (the plan's size). */
  partitionSize: "partitionSize",
  /** Number of data rows in the csv when planned; children check it to catch a csv that changed under them. */
  rowCount: "rowCount",
  /** Run id: ties every job and report of one nightly run together. */
  runId: "runId",
  /** Per-partition mode: first row (1-based, inclusive); "0" when the array index decides. */
  start: "start",
  /** Per-partition mode: last row (1-based, inclusive); "0" when the array index decides. */
  end: "end",
  /**
   * Array mode: which partition numbers (1-based) the children map to, in array-index order,
   * as a comma list that may hold ranges ("3,7,10-12"), or "all" when child i runs partition i + 1.
   * Retries use the list; array jobs past the first 10,000 partitions use a range.
   */
  partitions: "partitions",
  /**
   * The run's manifest (a path or `s3://` URL of `runs/<runId>/manifest.json` in the state store): array child i
   * runs the rows the manifest plans for its partition. "none": the rows come from start/end/partitions.
   */
  plan: "plan",
} as const;

export type ProcessorParameterName = keyof typeof PROCESSOR_PARAMETERS;
export type ProcessorParameters = Record<ProcessorParameterName, string>;

/** Defaults the job definition carries, so a plain job with only csv + start/end still gets a full command line. */
export const PROCESSOR_PARAMETER_DEFAULTS: ProcessorParameters = {
  csv: DEFAULTS.csv,
  partitionSize: String(DEFAULTS.partitionSize),
  rowCount: "0",
  runId: "manual",
  start: "0",
  end: "0",
  partitions: "all",
  plan: "none",
};

const ref = (name: ProcessorParameterName): string => `Ref::${PROCESSOR_PARAMETERS[name]}`;

/** The processor binary name inside the worker image. */
export const PROCESSOR_BIN = "mass-ingest-processor";
/** The chunker binary name inside the worker image. */
export const CHUNKER_BIN = "mass-ingest-chunker";

/**
 * The processor job definition's `command`. The processor's argument parser accepts exactly these flags;
 * "0"/"all" are the "not set" values.
 */
export const PROCESSOR_COMMAND: readonly string[] = [
  PROCESSOR_BIN,
  ref("csv"),
  "--partition-size",
  ref("partitionSize"),
  "--row-count",
  ref("rowCount"),
  "--run-id",
  ref("runId"),
  "--start",
  ref("start"),
  "--end",
  ref("end"),
  "--partitions",
  ref("partitions"),
  "--plan",
  ref("plan"),
];

/** The report job's command (started by an EventBridge rule when a run's array job ends): the run id is its parameter. */
export const REPORT_COMMAND: readonly string[] = [CHUNKER_BIN, "report", ref("runId")];

/** The chunk job's command: the csv and partition size are parameters too, so a manual run can override them. */
export const CHUNK_COMMAND: readonly string[] = [CHUNKER_BIN, "submit", ref("csv"), "--partition-size", ref("partitionSize")];

/**
 * Substitute parameters into a job definition command the way AWS Batch does: an argument that is exactly
 * `Ref::name` (or contains it) gets the value; names with no value and no default stay as written.
 */
export function substituteCommand(
  command: readonly string[],
  parameters: Partial<Record<string, string>>,
  defaults: Partial<Record<string, string>> = {},
): string[] {
  return command.map((arg) => arg.replace(/Ref::([A-Za-z0-9_]+)/g, (whole, name: string) => parameters[name] ?? defaults[name] ?? whole));
}

/** Environment variable AWS Batch sets in each child of an array job (0-based). */
export const ARRAY_INDEX_ENV = "AWS_BATCH_JOB_ARRAY_INDEX";
/** Environment variable AWS Batch sets to the job's own id (the chunk job's id is the nightly run id). */
export const JOB_ID_ENV = "AWS_BATCH_JOB_ID";

/** Tag keys every submitted job carries. */
export const TAGS = {
  runId: "mass-ingest:run-id",
  kind: "mass-ingest:kind",
  retryOf: "mass-ingest:retry-of",
} as const;
