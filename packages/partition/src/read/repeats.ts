/**
 * Rows that repeat an earlier row's repository (clone URL and branch). With the same organizations it is a
 * duplicate (left out); under other organizations it is another listing of the same repository, as Moderne's
 * repos.csv lists a repository once per organization: built once, every organization kept.
 */
import { ISSUE_CODES } from "../errors.js";
import type { Layout } from "../header.js";
import { FirstRowIndex } from "../keyset.js";
import { displayValue } from "../text.js";
import type { ValidationIssue } from "../types.js";
import { keyLength, orgsKey, orgsOf } from "../validate/keys.js";

/** What a row is, compared with the rows before it. */
type Repeat = { kind: "new" } | { kind: "duplicate" | "listing"; first: number };

/** First rows by repository key, and (when the csv has org columns) by repository key + organizations. */
export class Repeats {
  private readonly firstRow = new FirstRowIndex();
  private readonly listings: FirstRowIndex | undefined;

  constructor(private readonly layout: Layout) {
    this.listings = layout.orgs.length > 0 ? new FirstRowIndex() : undefined;
  }

  /** True when an earlier recorded row has this repository. */
  knows(cloneUrl: string, branch: string | undefined): boolean {
    return this.firstRow.getParts(cloneUrl, keyLength(cloneUrl), branch) !== 0;
  }

  /** Record a row; says whether it is new, a duplicate, or another organization's listing (and of which row). */
  record(fields: string[], cloneUrl: string, branch: string | undefined, row: number): Repeat {
    const urlLength = keyLength(cloneUrl);
    const first = this.firstRow.firstRowParts(cloneUrl, urlLength, branch, row);
    // a row naming no organization adds none: a repeat of it is a duplicate
    const orgs = this.listings === undefined ? [] : orgsOf(fields, this.layout);
    const sameListing = orgs.length === 0 || this.listings?.firstRowParts(cloneUrl, urlLength, listingPart(orgs, branch), row) !== 0;
    if (first === 0) return { kind: "new" };
    return { kind: sameListing ? "duplicate" : "listing", first };
  }

  /** Record only the organizations of a row whose repository is already known (rows before a selection). */
  recordListing(fields: string[], cloneUrl: string, branch: string | undefined, row: number): void {
    if (this.listings === undefined) return;
    const orgs = orgsOf(fields, this.layout);
    if (orgs.length > 0) this.listings.firstRowParts(cloneUrl, keyLength(cloneUrl), listingPart(orgs, branch), row);
  }
}

function listingPart(orgs: readonly string[], branch: string | undefined): string {
  return `${branch ?? ""}\u0000${orgsKey(orgs)}`;
}

function repoValue(cloneUrl: string, branch: string | undefined): string {
  return displayValue(branch === undefined ? cloneUrl : `${cloneUrl} (branch ${branch})`);
}

/** The DUPLICATE_ROW issue of a row repeating row `first` (same clone URL, branch and organizations). */
export function duplicateIssue(
  at: { row: number; line: number },
  cloneUrl: string,
  branch: string | undefined,
  first: number,
  layout: Layout,
): ValidationIssue {
  return {
    code: ISSUE_CODES.DUPLICATE_ROW,
    row: at.row,
    line: at.line,
    column: layout.names[layout.index.cloneUrl] ?? "cloneUrl",
    value: repoValue(cloneUrl, branch),
    cloneUrl: displayValue(cloneUrl),
    message: `Same clone URL and branch as row ${first}; this row is left out (the first one is kept). Remove one of them.`,
  };
}

/** The ORGANIZATION_LISTING note of a row listing row `first`'s repository under other organizations. */
export function listingIssue(
  at: { row: number; line: number },
  cloneUrl: string,
  branch: string | undefined,
  first: number,
  orgs: readonly string[],
  layout: Layout,
): ValidationIssue {
  return {
    code: ISSUE_CODES.ORGANIZATION_LISTING,
    row: at.row,
    line: at.line,
    firstRow: first,
    column: layout.names[layout.index.cloneUrl] ?? "cloneUrl",
    value: repoValue(cloneUrl, branch),
    cloneUrl: displayValue(cloneUrl),
    message:
      `Same repository as row ${first}, listed under another organization (${displayValue(orgs.join("/")) || "none"}), as Moderne's ` +
      `repos.csv lists a repository once per organization. It is built once, with row ${first}, and keeps every organization; nothing to fix.`,
  };
}
