/** What makes two rows "the same repository", and the same listing of it. */
import type { Layout } from "../header.js";
import { field } from "./issues.js";

/** Length of the part of a clone URL that identifies the repository: without trailing "/" and ".git". */
export function keyLength(cloneUrl: string): number {
  let end = cloneUrl.length;
  while (end > 0 && cloneUrl.charCodeAt(end - 1) === 0x2f) end--;
  if (end >= 4 && cloneUrl.startsWith(".git", end - 4)) end -= 4;
  return end;
}

/** Key that identifies "the same repository": clone URL (without trailing "/" and ".git") + branch. */
export function duplicateKey(cloneUrl: string, branch: string | undefined): string {
  const url = cloneUrl.slice(0, keyLength(cloneUrl));
  return branch === undefined ? url : `${url}\u0000${branch}`;
}

/** The org1..orgN values of a record (trimmed, empty ones dropped from the end), as RepoRow.orgs holds them. */
export function orgsOf(fields: string[], layout: Layout): string[] {
  const orgs: string[] = [];
  for (const i of layout.orgs) orgs.push(field(fields, i));
  while (orgs.length > 0 && orgs[orgs.length - 1] === "") orgs.pop();
  return orgs;
}

/** One string for an org list (its values cannot hold NUL: such rows are invalid). */
export function orgsKey(orgs: readonly string[]): string {
  return orgs.join("\u0000");
}
