/**
 * @mass-ingest/report: one self-contained HTML page (and the same data as JSON) for a run. Charts are SVG rendered
 * by Apache ECharts on the server when the report is written; the page has no script and loads nothing.
 */
export { buildReportData } from "./data.js";
export { renderReportHtml } from "./html.js";
export { publishedTotals } from "./published.js";
export { writeReport } from "./write.js";
export { reportInputFromRecords, trendPointOf, type FromRecordsOptions, type RunRecords } from "./from-state.js";
export { DEFAULT_TREND_RUNS, writeRunReport, type RunReportWritten, type WriteRunReportOptions } from "./run-report.js";
export type { RecordDurations, RecordEntry, RecordManifest, RecordResult, RecordSelection, RunRecordStore } from "./records.js";
export type {
  FailureGroup,
  ReportData,
  ReportFreshness,
  ReportInput,
  ReportPartition,
  ReportRepo,
  ReportRun,
  ReportTotals,
  ReportTrendPoint,
  ReportOutcome,
} from "./types.js";
