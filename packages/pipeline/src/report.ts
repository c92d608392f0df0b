import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ArtifactStoreKind } from "./configure.js";

/** Final state of one repository. */
export type RepoStatus = "ok" | "failed" | "timed-out" | "skipped";

/** The steps a group of repositories goes through, in order. */
export type StepName = "sync" | "sync-log" | "build" | "publish" | "build-log";

/** One finished step of a group. */
export interface StepRecord {
  step: StepName;
  exitCode: number | null;
  durationMs: number;
  signal?: string;
  timedOut?: boolean;
  aborted?: boolean;
}

/** One repository's result in the report. */
export interface RepoResult {
  row: number;
  cloneUrl: string;
  origin?: string;
  path?: string;
  branch?: string;
  /** Rows processed by the same `mod` calls share a group (BATCH_SIZE > 1). */
  group: string;
  status: RepoStatus;
  /** The step that failed / timed out / was interrupted. */
  failedStep?: StepName;
  /** Human reason for failed / timed-out / skipped (redacted; ends with the CLI's last output lines). */
  reason?: string;
  /** True when the run was interrupted (SIGTERM / SIGINT) before this repository finished. */
  interrupted?: boolean;
  steps: StepRecord[];
  /** Per-step durations (ms) and exit codes, for quick reading. */
  durationsMs: Partial<Record<StepName, number>>;
  exitCodes: Partial<Record<StepName, number | null>>;
  /** Where this repository's logs went (the run's zips) and, when kept, its work directory. */
  logs: { syncLog?: string; buildLog?: string; workDir?: string };
}

/** Where one log artifact of the run ended up. */
export interface ArtifactLocation {
  /** Local file under the data directory. */
  local?: string;
  /** Uploaded location (no credentials), when a log store is configured and the upload worked. */
  uploaded?: string;
  /** Why the upload failed (redacted). */
  error?: string;
}

export interface RunTotals {
  repos: number;
  ok: number;
  failed: number;
  timedOut: number;
  skipped: number;
}

/** The JSON report of one processor run. */
export interface RunReport {
  version: 1;
  runId?: string;
  /** `START-END` or `all`. */
  index: string;
  /** UTC YYYYMMDDHHmm of the run's start (the TS of the log layout). */
  ts: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Signal name when the run was interrupted. */
  interrupted?: string;
  /** Artifact store `mod publish` used, or undefined when LSTs were kept locally. */
  store?: ArtifactStoreKind;
  published: boolean;
  batchSize: number;
  concurrency: { sync: number; build: number; publish: number; maxPending: number };
  buildTimeoutMs: number;
  totals: RunTotals;
  /** Mean time per repository spent in our own work between the CLI calls (work dir / csv set-up and clean-up), ms. */
  overheadMsPerRepo: number;
  /**
   * Mean time per repository between steps that is neither a CLI call, a queue wait nor our own work: event-loop
   * latency (high when child processes saturate the CPUs), ms.
   */
  schedulingMsPerRepo: number;
  logs: { syncLog: ArtifactLocation; buildLog: ArtifactLocation; report: ArtifactLocation };
  repos: RepoResult[];
}

/** Count statuses. */
export function totalsOf(repos: readonly RepoResult[]): RunTotals {
  const totals: RunTotals = { repos: repos.length, ok: 0, failed: 0, timedOut: 0, skipped: 0 };
  for (const r of repos) {
    if (r.status === "ok") totals.ok++;
    else if (r.status === "failed") totals.failed++;
    else if (r.status === "timed-out") totals.timedOut++;
    else totals.skipped++;
  }
  return totals;
}

/** Write JSON atomically: a temp file in the same directory, then rename. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, file);
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : m > 0 ? `${m}m${String(sec).padStart(2, "0")}s` : `${sec}s`;
}

/** One of the run's files (log zips, report) whose upload failed: where the local copy is and why (redacted). */
export interface FailedUpload {
  what: "syncLog" | "buildLog" | "report";
  local?: string;
  error: string;
}

/** The run's files whose upload failed (the store's answer in `error`). */
export function failedUploads(report: RunReport): FailedUpload[] {
  const out: FailedUpload[] = [];
  for (const what of ["syncLog", "buildLog", "report"] as const) {
    const a = report.logs[what];
    if (a.error) out.push({ what, ...(a.local ? { local: a.local } : {}), error: a.error });
  }
  return out;
}

/** Where one file ended up, for the summary: the upload, or the local copy and why its upload failed. */
function where(a: ArtifactLocation): string {
  if (a.error) return `${a.local ?? "-"} (upload FAILED: ${a.error})`;
  return a.uploaded ?? a.local ?? "-";
}

/** A short human summary of a report (a few lines, failures listed first ten). */
export function formatSummary(report: RunReport): string {
  const t = report.totals;
  const lines = [
    `${report.interrupted ? `Interrupted (${report.interrupted}): ` : ""}${t.repos} repositories (${report.index}) in ${duration(report.durationMs)}: ${t.ok} ok, ${t.failed} failed, ${t.timedOut} timed out, ${t.skipped} skipped.`,
  ];
  const bad = report.repos.filter((r) => r.status !== "ok");
  for (const r of bad.slice(0, 10)) {
    const reason = (r.reason ?? "").split("\n")[0]?.slice(0, 160) ?? "";
    lines.push(`  row ${r.row} ${r.path ?? r.cloneUrl}: ${r.status}${r.failedStep ? ` at ${r.failedStep}` : ""}${reason ? ` (${reason})` : ""}`);
  }
  if (bad.length > 10) lines.push(`  ... and ${bad.length - 10} more (see the report)`);
  lines.push(
    report.published
      ? `LSTs published to the ${report.store} artifact store.`
      : `Publishing not configured (no PUBLISH_URL): LSTs kept in the work directories under the data directory.`,
  );
  lines.push(`Sync logs: ${where(report.logs.syncLog)}`);
  lines.push(`Build logs: ${where(report.logs.buildLog)}`);
  const r = report.logs.report;
  lines.push(`Report: ${r.error ? where(r) : `${r.local ?? "-"}${r.uploaded ? ` (uploaded to ${r.uploaded})` : ""}`}`);
  const failed = failedUploads(report);
  if (failed.length > 0) {
    lines.push(
      `${failed.length} upload(s) FAILED: the local copies named above are all that is kept (in a container they are lost with it); the run counts as failed.`,
    );
  }
  return lines.join("\n");
}
