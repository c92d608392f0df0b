import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildReportData } from "./data.js";
import { renderReportHtml } from "./html.js";
import { reportJson } from "./published.js";
import type { ReportData, ReportInput } from "./types.js";

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Write `<dir>/<name>.json` then `<dir>/<name>.html`, each atomically (never a half-written page). */
export async function writeReportFiles(
  dir: string,
  name: string,
  text: { html: string; json: string },
): Promise<{ html: string; json: string }> {
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, name);
  await writeAtomic(`${base}.json`, text.json);
  await writeAtomic(`${base}.html`, text.html);
  return { html: `${base}.html`, json: `${base}.json` };
}

/**
 * Write `<dir>/<name>.html` and `<dir>/<name>.json` (default name: `report-<runId>`), each atomically (never a
 * half-written page). Returns the paths and the data.
 */
export async function writeReport(
  dir: string,
  input: ReportInput,
  options: { name?: string } = {},
): Promise<{ html: string; json: string; data: ReportData }> {
  const data = buildReportData(input);
  const files = await writeReportFiles(dir, options.name ?? `report-${input.run.runId}`, {
    html: renderReportHtml(data),
    json: reportJson(data),
  });
  return { ...files, data };
}
