import { stripUserInfo } from "@mass-ingest/core";
import { durationChart, timelineChart, trendCharts } from "./charts.js";
import type { ReportData } from "./types.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Text for HTML: every value in the page goes through this (repository names and errors are hostile). */
export const esc = (value: unknown): string => String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** "1 h 02 min", "3 min 05 s", "12 s". */
export function duration(msValue: number | undefined): string {
  if (msValue === undefined) return "–";
  const s = Math.round(msValue / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** A log link for a URL or an absolute path (file://), the text otherwise (a relative path has nothing to link to). */
function logCell(log: string | undefined): string {
  if (!log) return "–";
  const shown = esc(stripUserInfo(log));
  if (/^(https?|s3|file):\/\//i.test(log)) {
    const href = /^s3:\/\//i.test(log) ? log.replace(/^s3:\/\/([^/]+)\//i, "https://$1.s3.amazonaws.com/") : stripUserInfo(log);
    return `<a class="log" href="${esc(href)}">${shown}</a>`;
  }
  // An absolute local path (a local run's logs): a file link, which works when the page is opened from the same disk.
  if (log.startsWith("/")) return `<a class="log" href="${esc(`file://${encodeURI(log)}`)}">${shown}</a>`;
  return `<code class="log">${shown}</code>`;
}

function totalsSection(d: ReportData): string {
  const t = d.totals;
  const cell = (label: string, value: string | number, cls = "") =>
    `<div class="stat ${cls}"><span class="n" data-total="${esc(label)}">${esc(value)}</span><span class="l">${esc(label)}</span></div>`;
  const money = d.estimatedCost !== undefined ? cell("estimated cost", `$${d.estimatedCost.toFixed(2)}`) : "";
  return `<section><h2>Totals</h2><div class="stats">
${cell("built ok", t.ok, "ok")}${cell("failed", t.failed, "failed")}${cell("timed out", t.timedOut, "timed-out")}${cell("unchanged", t.unchanged, "unchanged")}${cell("not started", t.notStarted)}
${cell("wall time", duration(d.wallMs))}${cell("makespan", duration(d.actualMakespanMs))}${cell("predicted makespan", duration(d.run.predictedMakespanMs))}${cell("vCPU-hours", d.vcpuHours ?? 0)}${money}
</div></section>`;
}

/** What a cause group holds: "memory — 3 repositories: a, b, c…" (the first three names, then an ellipsis). */
export function causeLabel(cause: string, repositories: readonly string[]): string {
  const n = repositories.length;
  const names = repositories.slice(0, 3).join(", ") + (n > 3 ? "…" : "");
  return `${cause} — ${n} ${n === 1 ? "repository" : "repositories"}: ${names}`;
}

function failureGroup(g: ReportData["failures"][number]): string {
  const rows = g.repos
    .map(
      (r) =>
        `<tr class="failed-repo"><td>${esc(r.repository)}</td><td>${r.row}</td><td>${esc(r.outcome)}</td><td class="url">${esc(r.cloneUrl)}</td><td>${logCell(r.log)}</td></tr>`,
    )
    .join("\n");
  return `<details open><summary>${esc(g.step)}: ${esc(g.line)} <span class="count">(${g.repos.length})</span></summary>
<div class="scroll"><table><thead><tr><th>repository</th><th>row</th><th>outcome</th><th>clone URL</th><th>build log</th></tr></thead><tbody>
${rows}
</tbody></table></div></details>`;
}

/** Failures by cause (largest first): each cause headed by what it holds, then its groups by step and first line. */
function failuresSection(d: ReportData): string {
  if (d.failures.length === 0) return `<section><h2>Failures</h2><p>No repository failed.</p></section>`;
  const causes = new Map<string, ReportData["failures"]>();
  for (const g of d.failures) causes.set(g.cause, [...(causes.get(g.cause) ?? []), g]);
  const blocks = [...causes].map(([cause, groups]) => {
    const label = causeLabel(
      cause,
      groups.flatMap((g) => g.repos.map((r) => r.repository)),
    );
    return `<div class="cause-group"><h3 class="cause">${esc(label)}</h3>\n${groups.map(failureGroup).join("\n")}</div>`;
  });
  return `<section><h2>Failures by cause</h2>${blocks.join("\n")}</section>`;
}

const REASONS: Record<string, string> = {
  quarantined: "quarantined",
  failing: "failing",
  "rollout-pending": "rollout pending",
  "over-budget": "over budget",
};

/** How many LSTs are older than the target, why, and the oldest of them. */
function freshnessSection(d: ReportData): string {
  const f = d.freshness;
  if (!f) return "";
  const reasons = Object.entries(f.byReason)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${esc(REASONS[r] ?? r)} ${n}`)
    .join(", ");
  const head = `<p><span data-total="outside freshness">${f.outside}</span> of ${f.total} repositories have an LST older than ${duration(f.targetMs)}${reasons ? `: ${reasons}` : ""}. Median age ${f.medianAgeMs === null ? "–" : duration(f.medianAgeMs)}, oldest ${f.maxAgeMs === null ? "–" : duration(f.maxAgeMs)}.</p>`;
  const rows = f.repos
    .slice(0, 20)
    .map(
      (r) =>
        `<tr class="stale-repo"><td class="url">${esc(r.key)}</td><td>${r.ageMs === null ? "no LST" : duration(r.ageMs)}</td><td>${esc(REASONS[r.reason] ?? r.reason)}</td><td>${esc(r.cause ?? "")}</td></tr>`,
    )
    .join("\n");
  const table = rows
    ? `<div class="scroll"><table><thead><tr><th>repository</th><th>LST age</th><th>why</th><th>cause</th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`
    : "";
  return `<section><h2>Freshness</h2>${head}${table}</section>`;
}

function slowestSection(d: ReportData): string {
  if (d.slowest.length === 0) return "";
  const rows = d.slowest
    .map(
      (r) =>
        `<tr><td>${esc(r.repository)}</td><td>${r.row}</td><td>${duration(r.totalMs)}</td><td>${duration(r.buildMs)}</td><td>${esc(r.outcome)}</td><td>${logCell(r.log)}</td></tr>`,
    )
    .join("\n");
  return `<section><h2>The ${d.slowest.length} slowest repositories</h2><div class="scroll"><table><thead><tr><th>repository</th><th>row</th><th>sync+build+publish</th><th>build</th><th>outcome</th><th>build log</th></tr></thead><tbody>
${rows}
</tbody></table></div></section>`;
}

const chart = (title: string, svg: string | undefined, empty: string) =>
  `<section><h2>${esc(title)}</h2>${svg ? `<figure class="chart">${svg}</figure>` : `<p>${esc(empty)}</p>`}</section>`;

const STYLE = `*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:16px;max-width:1100px;color:#1b1f24}
h1{font-size:1.5em;margin:0 0 4px}h2{font-size:1.15em;margin:28px 0 8px}h3{font-size:1em;margin:16px 0 4px;overflow-wrap:anywhere}.meta{color:#57606a;overflow-wrap:anywhere}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(130px,1fr));gap:8px}.stat{border:1px solid #d0d7de;border-radius:6px;padding:8px}
.stat .n{display:block;font-size:1.35em;font-weight:600}.stat .l{color:#57606a;font-size:.85em}.ok .n{color:#2e7d32}.failed .n{color:#c62828}.timed-out .n{color:#ef6c00}.unchanged .n{color:#607d8b}
figure.chart{margin:0}figure.chart svg{width:100%;height:auto;display:block}.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border-bottom:1px solid #eaeef2;padding:4px 6px;text-align:left;vertical-align:top}td.url,td .log{overflow-wrap:anywhere;word-break:break-all}
details{margin:8px 0}summary{cursor:pointer;overflow-wrap:anywhere}.count{color:#57606a}code{font-size:.9em}`;

/** The whole page: self-contained (inline CSS and SVG, no script, no network), readable from 320 px up. */
export function renderReportHtml(d: ReportData): string {
  const trends = trendCharts(d);
  const meta = [
    `run ${esc(d.run.runId)}`,
    `started ${esc(d.run.startedAt)}`,
    d.run.finishedAt ? `finished ${esc(d.run.finishedAt)}` : "",
    d.run.retries?.length
      ? `with ${d.run.retries.length === 1 ? "its retry" : `its ${d.run.retries.length} retries`} ${d.run.retries.map((r) => esc(r.runId)).join(", ")}`
      : "",
    d.run.csv ? `csv ${esc(stripUserInfo(d.run.csv))}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>mass-ingest run ${esc(d.run.runId)}</title><style>${STYLE}</style></head>
<body><header><h1>mass-ingest run ${esc(d.run.runId)}</h1><p class="meta">${meta}</p></header>
${totalsSection(d)}
${chart("Partitions over time", timelineChart(d), "No partition ran.")}
${chart("Build durations", durationChart(d), "No repository was built.")}
${failuresSection(d)}
${slowestSection(d)}
${freshnessSection(d)}
${trends ? `<section><h2>Last ${d.trends.length} runs</h2><figure class="chart">${trends.counts}</figure><figure class="chart">${trends.wall}</figure></section>` : ""}
<footer><p class="meta">Written by mass-ingest. The same data is in the JSON file next to this page.</p></footer>
</body></html>
`;
}
