/**
 * Selection from a file path, in two passes so no index of all earlier rows is needed: pass 1 validates the
 * selected rows (earlier rows are only parsed); pass 2 re-reads the rows before the last selected one and
 * validates only those sharing a repository with a selected row, so selected repeats are treated exactly as a
 * whole read would treat them.
 */
import type { Layout } from "../header.js";
import type { ReadOptions, ReadResult, RepoRow, ValidationIssue } from "../types.js";
import { field } from "../validate/issues.js";
import { duplicateKey, orgsKey } from "../validate/keys.js";
import { validateRecord } from "../validate/record.js";
import { duplicateIssue, listingIssue } from "./repeats.js";
import { finish, batchesUpTo } from "./collect.js";

/** A repository key's listing under `orgs`. */
function listingKey(key: string, orgs: readonly string[]): string {
  return `${key}\u0001${orgsKey(orgs)}`;
}

/** Pass 1: validate the selected rows, up to the last one. */
async function collectSelected(path: string, options: ReadOptions, wanted: (row: number) => boolean, lastRow: number) {
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

/** Pass 2: earliest valid unselected row of each selected repository, and of each (repository, organizations) listing. */
async function earlierRows(path: string, options: ReadOptions, wanted: (row: number) => boolean, valid: readonly RepoRow[]) {
  const byKey = new Map<string, number>();
  const byListing = new Map<string, number>();
  const last = valid[valid.length - 1];
  if (last === undefined || last.row <= 1) return { byKey, byListing };
  const allowFileUrls = options.allowFileUrls === true;
  const wantedKeys = new Set(valid.map((r) => duplicateKey(r.cloneUrl, r.branch)));
  let lay: Layout | undefined;
  for await (const batch of batchesUpTo(path, last.row - 1, {}, (l) => (lay = l))) {
    const layout = lay as Layout;
    for (const raw of batch) {
      if (wanted(raw.row)) continue;
      const key = duplicateKey(field(raw.fields, layout.index.cloneUrl), field(raw.fields, layout.index.branch) || undefined);
      if (!wantedKeys.has(key)) continue;
      const rec = validateRecord(raw.fields, layout, raw.row, raw.line, allowFileUrls);
      if (!rec.ok) continue;
      if (!byKey.has(key)) byKey.set(key, raw.row);
      const listing = listingKey(key, rec.repo.orgs);
      if (!byListing.has(listing)) byListing.set(listing, raw.row);
    }
  }
  return { byKey, byListing };
}

export async function selectFromFile(
  path: string,
  options: ReadOptions,
  wanted: (row: number) => boolean,
  lastRow: number,
): Promise<ReadResult> {
  const { valid, issues, layout, rowCount } = await collectSelected(path, options, wanted, lastRow);
  const earlier = await earlierRows(path, options, wanted, valid);
  const repos: RepoRow[] = [];
  const duplicates: ValidationIssue[] = [];
  const sharedRows: ValidationIssue[] = [];
  const firstSelected = new Map<string, RepoRow>();
  const selectedListings = new Set<string>();
  for (const repo of valid) {
    const key = duplicateKey(repo.cloneUrl, repo.branch);
    const listing = listingKey(key, repo.orgs);
    const before = earlier.byKey.get(key);
    const selected = firstSelected.get(key);
    const first = Math.min(before !== undefined && before < repo.row ? before : Infinity, selected?.row ?? Infinity);
    if (first === Infinity) {
      firstSelected.set(key, repo);
      selectedListings.add(listing);
      repos.push(repo);
      continue;
    }
    const listedBefore = repo.orgs.length === 0 || (earlier.byListing.get(listing) ?? Infinity) < repo.row || selectedListings.has(listing);
    if (listedBefore) {
      duplicates.push(duplicateIssue(repo, repo.cloneUrl, repo.branch, first, layout as Layout));
      continue;
    }
    selectedListings.add(listing);
    sharedRows.push(listingIssue(repo, repo.cloneUrl, repo.branch, first, repo.orgs, layout as Layout));
    if (selected !== undefined && selected.row === first) (selected.otherOrgs ??= []).push(repo.orgs);
  }
  return finish(path, options, layout, { repos, issues, duplicates, sharedRows, rowCount });
}
