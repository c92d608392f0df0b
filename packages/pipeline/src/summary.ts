import { countOf } from "@mass-ingest/contract";
import type { ArtifactLocation, RepoResult, RunReport } from "./report.js";

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

/** How a repository is named in messages: its path, else its clone URL, else that it had none. */
export function repoLabel(r: Pick<RepoResult, "path" | "cloneUrl">): string {
  return r.path || r.cloneUrl || "(no clone URL)";
}

/** Where the LSTs of a run without PUBLISH_URL are: the one folder kept, or the work root and how many folders it holds. */
function keptLine(report: RunReport): string {
  const head = "Publishing not configured (no PUBLISH_URL): LSTs kept";
  const kept = [...new Set(report.repos.flatMap((r) => (r.logs.workDir ? [r.logs.workDir] : [])))];
  if (kept.length === 1) return `${head} in ${kept[0]}`;
  const root = report.workRoot ?? "the work directories under the data directory";
  if (kept.length === 0) return `${head} in ${root} (none built this run).`;
  return `${head} in ${root}: ${countOf(kept.length, "folder", "folders")} named by repository (each one's is logs.workDir in the report).`;
}

/** A short human summary of a report (a few lines, failures listed first ten). */
export function formatSummary(report: RunReport): string {
  const t = report.totals;
  const lines = [
    `${report.interrupted ? `Interrupted (${report.interrupted}): ` : ""}${countOf(t.repos, "repository", "repositories")} (${report.index}) in ${duration(report.durationMs)}: ${t.ok} ok, ${t.failed} failed, ${t.timedOut} timed out, ${t.skipped} skipped${t.notStarted ? `, ${t.notStarted} not started` : ""}.`,
  ];
  const bad = report.repos.filter((r) => r.status !== "ok");
  for (const r of bad.slice(0, 10)) {
    // The whole first line: a reason cut mid-sentence says less than none.
    const reason = (r.reason ?? "").split("\n")[0] ?? "";
    lines.push(`  row ${r.row} ${repoLabel(r)}: ${r.status}${r.failedStep ? ` at ${r.failedStep}` : ""}${reason ? ` (${reason})` : ""}`);
  }
  if (bad.length > 10) lines.push(`  ... and ${bad.length - 10} more (see the report)`);
  lines.push(report.published ? `LSTs published to the ${report.store} artifact store.` : keptLine(report));
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
