/** Pass 1 of a file selection: validate the selected rows, up to the last one. */
import type { Layout } from "../header.js";
import type { ReadOptions, RepoRow, ValidationIssue } from "../types.js";
import { validateRecord } from "../validate/record.js";
import { batchesUpTo } from "./collect.js";

export async function collectSelected(path: string, options: ReadOptions, wanted: (row: number) => boolean, lastRow: number) {
  const allowFileUrls = options.allowFileUrls === true;
  const valid: RepoRow[] = [];
  const issues: ValidationIssue[] = [];
  let layout: Layout | undefined;
  let rowCount = 0;
  for await (const batch of batchesUpTo(path, lastRow, options, (l) => (layout = l))) {
    for (const raw of batch) {
      if (!wanted(raw.row)) continue;
      rowCount++;
      const rec = validateRecord(raw.fields, layout as Layout, raw.row, raw.line, allowFileUrls);
      if (rec.ok) valid.push(rec.repo);
      else for (const issue of rec.issues) issues.push(issue);
    }
  }
  return { valid, issues, layout, rowCount };
}
