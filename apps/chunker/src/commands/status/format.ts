import { countOf } from "@mass-ingest/contract";
import type { RunStatus } from "@mass-ingest/batch";

/** Human summary of a run status: counts by status, then each failed partition with reason, exit code and logs. */
export function formatStatus(status: RunStatus): string {
  const c = status.counts;
  const lines = [
    `run ${status.runId}: ${countOf(status.total, "partition", "partitions")} in ${countOf(status.jobs.length, "job", "jobs")}: ` +
      Object.entries(c)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${s} ${n}`)
        .join(", ") +
      (status.done ? (status.ok ? " (done, all succeeded)" : " (done)") : " (in progress)"),
  ];
  for (const f of status.failed) {
    lines.push(
      `  partition ${f.partition} FAILED (${f.jobId})` +
        (f.statusReason ? `: ${f.statusReason}` : "") +
        (f.exitCode !== undefined ? `, exit code ${f.exitCode}` : "") +
        (f.logStreamName ? `, logs /aws/batch/job ${f.logStreamName}` : ""),
    );
  }
  return lines.join("\n");
}
