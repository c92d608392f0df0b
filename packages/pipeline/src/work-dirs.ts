/**
 * Work directories keyed by repository: a group's folder under `DATA_DIR/work` is named from the state's key of its
 * repositories (a readable slug of host/path and a short hash), so a repository keeps its folder, and the LSTs in
 * it, when rows are inserted or moved in repos.csv. Beside each folder, `<name>.keys` lists the keys it holds, so
 * folders of repositories that left the csv can be found and removed.
 */
import { createHash } from "node:crypto";
import { lstat, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { RepoRow } from "@mass-ingest/partition";
import { rowKey } from "@mass-ingest/state";

/** The suffix of the file beside a work directory that lists the keys it holds, one a line. */
export const KEYS_SUFFIX = ".keys";
/** Longest readable part of a folder name (the hash follows it). */
const SLUG_LENGTH = 60;
/** Hex characters of the hash in a folder name (40 bits: two keys of one csv sharing a folder is not a practical concern). */
const HASH_LENGTH = 10;

/** The state's key of a row (normalized clone URL, `#branch`, `@changeset`). */
export function workKey(row: Pick<RepoRow, "cloneUrl" | "branch" | "changeset">): string {
  return rowKey({ row: 0, ...row });
}

/** A key as a folder name's readable part: no scheme, user info or port, only `[A-Za-z0-9._-]`, no leading dot. */
function slugOf(key: string): string {
  const bare = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^[^@/]*@/, "");
  const slug = bare
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+/, "")
    .slice(0, SLUG_LENGTH)
    .replace(/[-.]+$/, "");
  return slug || "repo";
}

/**
 * The folder name of a group's work directory from its rows' keys: `<slug>-<hash>` for one repository (e.g.
 * `github.com-org-repo-main-1a2b3c4d5e`), `<slug of the first>+<n-1>-<hash of all>` for a group of several.
 */
export function workDirName(rows: readonly Pick<RepoRow, "cloneUrl" | "branch" | "changeset">[]): string {
  const keys = rows.map(workKey);
  const hash = createHash("sha256").update(keys.join("\n")).digest("hex").slice(0, HASH_LENGTH);
  const more = keys.length > 1 ? `+${keys.length - 1}` : "";
  return `${slugOf(keys[0] ?? "")}${more}-${hash}`;
}

/** The keys a work directory's `.keys` file lists (none when it cannot be read). */
async function keysOf(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean);
}

/**
 * Remove the work directories under `workRoot` none of whose keys is in `keep` (their repositories left the csv),
 * with their `.keys` file; returns the folder names removed. Only folders that have a `.keys` file are touched,
 * only directly inside `workRoot`, and no symbolic link is followed: a work root that is a link is left alone,
 * a folder that is a link loses only the link.
 */
export async function pruneWorkDirs(workRoot: string, keep: Iterable<string>): Promise<string[]> {
  const root = await lstat(workRoot).catch(() => undefined);
  if (!root?.isDirectory()) return [];
  const wanted = new Set(keep);
  const removed: string[] = [];
  for (const entry of await readdir(workRoot, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(KEYS_SUFFIX)) continue;
    const name = entry.name.slice(0, -KEYS_SUFFIX.length);
    if (!name || name.startsWith(".")) continue;
    const keys = await keysOf(path.join(workRoot, entry.name));
    if (keys.some((k) => wanted.has(k))) continue;
    // rm never follows a link: a link is removed itself, a folder's links inside are removed, not their targets.
    await rm(path.join(workRoot, name), { recursive: true, force: true });
    await rm(path.join(workRoot, entry.name), { force: true });
    removed.push(name);
  }
  return removed;
}
