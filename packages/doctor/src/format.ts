import type { CheckStatus, DoctorReport } from "./types.js";

const LABEL: Record<CheckStatus, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "SKIP" };
const COLOR: Record<CheckStatus, string> = { pass: "\u001b[32m", warn: "\u001b[33m", fail: "\u001b[31m", skip: "\u001b[2m" };
const RESET = "\u001b[0m";

/**
 * One line per check (`PASS  git hosts       2 hosts answered`), a `fix:` line under each warn and fail, and a
 * summary line. `color` only colours the status word; the text is the same with and without.
 */
export function formatReport(report: DoctorReport, options: { color?: boolean } = {}): string {
  const width = Math.max(0, ...report.checks.map((c) => c.title.length));
  const lines: string[] = [];
  for (const check of report.checks) {
    const label = options.color ? `${COLOR[check.status]}${LABEL[check.status]}${RESET}` : LABEL[check.status];
    lines.push(`${label}  ${check.title.padEnd(width)}  ${check.detail}`);
    if (check.fix && (check.status === "fail" || check.status === "warn"))
      lines.push(`${" ".repeat(6)}${" ".repeat(width)}  fix: ${check.fix}`);
  }
  const { counts } = report;
  lines.push(`${report.checks.length} checks: ${counts.pass} pass, ${counts.warn} warn, ${counts.fail} fail, ${counts.skip} skip`);
  return `${lines.join("\n")}\n`;
}

/** The report as one JSON document: checks, counts, exitCode. */
export function formatReportJson(report: DoctorReport): string {
  return `${JSON.stringify({ checks: report.checks, counts: report.counts, exitCode: report.exitCode }, null, 2)}\n`;
}
