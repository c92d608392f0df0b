/**
 * The log layout Moderne reads (docs/moderne-cli.md): where the sync and build log zips of a run go, and the run
 * report beside them. INDEX = `START-END` or `all`; TS = UTC `YYYYMMDDHHmm`.
 */
import type { RowRange } from "@mass-ingest/contract";

/** Which key layout a store uses: Maven-style (`io/moderne/...`) or S3 (`.logs/...`). */
export type LogLayout = "maven" | "s3";

/** Object keys (relative to PUBLISH_URL) of one run's uploads. */
export interface LogKeys {
  buildLog: string;
  syncLog: string;
  /** The JSON run report, beside the build log zip. */
  report: string;
}

/** `YYYYMMDDHHmm` in UTC, the TS of the log layout. */
export function logTimestamp(date: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}`;
}

/** The INDEX of the log layout: `START-END` for a range, `all` otherwise. */
export function logIndex(range?: RowRange): string {
  return range ? `${range.start}-${range.end}` : "all";
}

/** File names of the two zips and the report (same in every layout). */
export function logFileNames(index: string, ts: string): LogKeys {
  return {
    buildLog: `ingest-log-cli-${ts}-${index}.zip`,
    syncLog: `ingest-sync-log-cli-${ts}-${index}.zip`,
    report: `ingest-report-${ts}-${index}.json`,
  };
}

/** The exact keys of docs/moderne-cli.md for `index` (`START-END` | `all`) and `ts` (UTC YYYYMMDDHHmm). */
export function logKeys(layout: LogLayout, index: string, ts: string): LogKeys {
  const names = logFileNames(index, ts);
  if (layout === "s3") {
    const dir = `.logs/${index}/${ts}`;
    return { buildLog: `${dir}/${names.buildLog}`, syncLog: `${dir}/${names.syncLog}`, report: `${dir}/${names.report}` };
  }
  return {
    buildLog: `io/moderne/ingest-log/${index}/${ts}/${names.buildLog}`,
    syncLog: `io/moderne/ingest-sync-log/${index}/${ts}/${names.syncLog}`,
    report: `io/moderne/ingest-log/${index}/${ts}/${names.report}`,
  };
}
