import { readdir } from "node:fs/promises";
import path from "node:path";
import type { RepoRow } from "@mass-ingest/partition";
import { execa } from "execa";

/** Git work trees under `dir` (a group's sync folder), relative paths, at most `depth` levels down; dot folders skipped. */
async function workTrees(dir: string, rel = "", depth = 0): Promise<string[]> {
  const here = path.join(dir, rel);
  const entries = await readdir(here, { withFileTypes: true }).catch(() => []);
  if (entries.some((e) => e.name === ".git")) return rel ? [rel] : [];
  if (depth >= 4) return [];
  const nested = await Promise.all(
    entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => workTrees(dir, path.join(rel, e.name), depth + 1)),
  );
  return nested.flat();
}

/** The work tree of `row`: the only one of a one-row group, else the one whose path ends with the row's path. */
function treeOf(row: RepoRow, trees: readonly string[], single: boolean): string | undefined {
  if (single && trees.length === 1) return trees[0];
  const wanted = row.path.split("/").filter(Boolean).join(path.sep);
  return trees.find((t) => t === wanted || t.endsWith(`${path.sep}${wanted}`));
}

/**
 * The commit each row's clone is at after `mod git sync` (`git rev-parse HEAD` in its work tree), by row number.
 * Rows whose clone cannot be found or read are left out (the run state then treats them as unknown: rebuilt).
 */
export async function syncedCommits(dir: string, rows: readonly RepoRow[]): Promise<Map<number, string>> {
  const trees = await workTrees(dir);
  const out = new Map<number, string>();
  await Promise.all(
    rows.map(async (row) => {
      const tree = treeOf(row, trees, rows.length === 1);
      if (!tree) return;
      const r = await execa("git", ["-C", path.join(dir, tree), "rev-parse", "HEAD"], { reject: false, stdin: "ignore" });
      const sha = String(r.stdout ?? "").trim();
      if (r.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(sha)) out.set(row.row, sha);
    }),
  );
  return out;
}
