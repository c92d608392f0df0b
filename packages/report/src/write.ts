import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildReportData } from "./data.js";
import { renderReportHtml } from "./html.js";
import type { ReportData, ReportInput } from "./types.js";

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/**
 * Write `<dir>/<name>.html` and `<dir>/<name>.json` (default name: `report-<runId>`), each atomically (never a
 * half-written page). Returns the paths and the data.
 */
export async function writeReport(dir: string, input: ReportInput, options: { name?: string } = {}): Promise<{ html: string; json: string; data: ReportData }> {
  const data = buildReportData(input);
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, options.name ?? `report-${input.run.runId}`);
  const html = `${base}.html`;
  const json = `${base}.json`;
  await writeAtomic(json, `${JSON.stringify(data, null, 2)}\n`);
  await writeAtomic(html, renderReportHtml(data));
  return { html, json, data };
}
