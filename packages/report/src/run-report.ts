/** Write a run's report from the state store, into the store (next to the run's records) and/or a local directory. */
import { DEFAULTS } from "@mass-ingest/contract";
import { MassIngestError } from "@mass-ingest/core";
import { buildReportData } from "./data.js";
import type { RecordManifest, RunRecordStore } from "./records.js";
import { reportInputFromRecords, trendPointOf, type FromRecordsOptions, type RunRecords } from "./from-state.js";
import { renderReportHtml } from "./html.js";
import { reportJson } from "./published.js";
import type { ReportData, ReportTrendPoint } from "./types.js";
import { writeReportFiles } from "./write.js";

/** Runs shown in the trend charts by default (this one included). */
export const DEFAULT_TREND_RUNS = DEFAULTS.trendRuns;

/** The report's error (no run to report on); exit code 2. */
export class ReportError extends MassIngestError {
  override name = "ReportError";
}

export interface WriteRunReportOptions extends Omit<FromRecordsOptions, "trends"> {
  /** Also write `report-<runId>.html` / `.json` into this local directory. */
  dir?: string;
  /** Write `runs/<runId>/report.html` and `report.json` into the state store (default true). */
  store?: boolean;
  /** Runs in the trend charts, this one included (default 14; 1: no earlier runs). */
  trends?: number;
}

/** Where the report went: `html`/`json` are the local copy when a directory was given, else the store's. */
export interface RunReportWritten {
  runId: string;
  html: string;
  json: string;
  /** The copy in the state store (a path or s3:// URL). */
  inStore?: { html: string; json: string };
  /** The copy in the local directory. */
  local?: { html: string; json: string };
  data: ReportData;
}

const UNREADABLE = new Set(["PLAN_NOT_FOUND", "STATE_CORRUPT", "STATE_FOREIGN", "STATE_VERSION", "INVALID_RUN_ID"]);

/** Every run of the store with a readable manifest, oldest first (by the manifest's creation time). */
async function runsByTime(store: RunRecordStore): Promise<RecordManifest[]> {
  const manifests: RecordManifest[] = [];
  for (const runId of await store.listRuns()) {
    try {
      manifests.push(await store.readManifest(runId));
    } catch (error) {
      if (!(error instanceof MassIngestError && UNREADABLE.has(error.code))) throw error;
    }
  }
  return manifests.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.runId.localeCompare(b.runId));
}

async function recordsOf(store: RunRecordStore, manifest: RecordManifest): Promise<RunRecords> {
  const [results, selection] = await Promise.all([store.readResults(manifest.runId), store.readSelection(manifest.runId)]);
  return { manifest, results, selection };
}

/** A retry's id as `retry` names it by default: `<run-id>-retry-<UTC time>` (for manifests without `retryOf`). */
const RETRY_ID = /^(.+)-retry-\d{8}T\d{6}Z$/;

/** The run a manifest retries, when that run is in the store. */
function parentOf(m: RecordManifest, byId: ReadonlyMap<string, RecordManifest>): RecordManifest | undefined {
  const parent = m.retryOf ?? RETRY_ID.exec(m.runId)?.[1];
  return parent !== undefined && parent !== m.runId ? byId.get(parent) : undefined;
}

/**
 * The runs as nights: each first run with the retries that descend from it (a retry of a retry too), oldest
 * first, the nights in the order of their first runs.
 */
function nightsOf(runs: readonly RecordManifest[]): { first: RecordManifest; retries: RecordManifest[] }[] {
  const byId = new Map(runs.map((m) => [m.runId, m] as const));
  const rootOf = (m: RecordManifest): RecordManifest => {
    const seen = new Set<string>();
    let at = m;
    for (let up = parentOf(at, byId); up && !seen.has(up.runId); up = parentOf(at, byId)) {
      seen.add(at.runId);
      at = up;
    }
    return at;
  };
  const nights = new Map<string, { first: RecordManifest; retries: RecordManifest[] }>();
  for (const m of runs) {
    const root = rootOf(m);
    const night = nights.get(root.runId) ?? { first: root, retries: [] };
    nights.set(root.runId, night);
    if (root !== m) night.retries.push(m);
  }
  return [...nights.values()];
}

/** The night to report on (`latest`: the one of the newest manifest) and the trend points of the nights before it. */
async function pickNight(
  store: RunRecordStore,
  runId: string,
  trendRuns: number,
): Promise<{ manifest: RecordManifest; first: RecordManifest; retries: RecordManifest[]; trends: ReportTrendPoint[] }> {
  const runs = await runsByTime(store);
  if (runId === "latest" && runs.length === 0) {
    throw new ReportError("REPORT_NO_RUNS", `The state store at ${store.url} holds no run yet.`, {
      hint: "Submit a run with this --state first, or check the state location (--state / STATE_URL).",
    });
  }
  const manifest = runId === "latest" ? runs.at(-1)! : (runs.find((m) => m.runId === runId) ?? (await store.readManifest(runId)));
  const nights = nightsOf(runs);
  const index = nights.findIndex((n) => n.first.runId === manifest.runId || n.retries.some((r) => r.runId === manifest.runId));
  const night = index >= 0 ? nights[index]! : { first: manifest, retries: [] };
  const before = index >= 0 ? nights.slice(Math.max(0, index - Math.max(0, trendRuns - 1)), index) : [];
  const trends: ReportTrendPoint[] = [];
  for (const n of before) {
    const retries = await Promise.all(n.retries.map((r) => recordsOf(store, r)));
    trends.push(trendPointOf(await recordsOf(store, n.first), retries));
  }
  return { manifest, ...night, trends };
}

/**
 * Read run `runId` (or the `latest`) from the store with its last `trends` runs, and write the report: into the
 * store as `runs/<runId>/report.html` + `report.json` (local directory or S3 puts) and/or into `options.dir`.
 * A run that was retried, or a retry, is reported as its night: the first run with every retry of it.
 */
export async function writeRunReport(store: RunRecordStore, runId: string, options: WriteRunReportOptions = {}): Promise<RunReportWritten> {
  const { manifest, first, retries, trends } = await pickNight(store, runId, options.trends ?? DEFAULT_TREND_RUNS);
  const input = reportInputFromRecords(await recordsOf(store, first), {
    trends,
    ...(retries.length ? { retries: await Promise.all(retries.map((r) => recordsOf(store, r))) } : {}),
    ...(options.pricePerVcpuHour !== undefined ? { pricePerVcpuHour: options.pricePerVcpuHour } : {}),
    ...(options.vcpusPerPartition !== undefined ? { vcpusPerPartition: options.vcpusPerPartition } : {}),
    ...(options.freshness !== undefined ? { freshness: options.freshness } : {}),
  });
  const data = buildReportData(input);
  const html = renderReportHtml(data);
  const json = reportJson(data);
  const out: Partial<RunReportWritten> = { runId: manifest.runId, data };
  if (options.store !== false) {
    const base = `runs/${manifest.runId}/report`;
    await store.backend.write(`${base}.json`, json);
    await store.backend.write(`${base}.html`, html);
    out.inStore = { html: store.location(`${base}.html`), json: store.location(`${base}.json`) };
  }
  if (options.dir !== undefined) out.local = await writeReportFiles(options.dir, `report-${manifest.runId}`, { html, json });
  const primary = out.local ?? out.inStore;
  if (!primary)
    throw new ReportError("REPORT_NOWHERE", "The report was written nowhere (store: false and no directory).", {
      hint: "Give a directory or leave store on.",
    });
  return { ...(out as RunReportWritten), html: primary.html, json: primary.json };
}
