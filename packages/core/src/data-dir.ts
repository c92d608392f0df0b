/**
 * Where DATA_DIR is, one rule for every app (processor, chunker, doctor): `--data-dir`, else DATA_DIR, resolved
 * against the current directory; else `.data` in the workspace root (the folder with pnpm-workspace.yaml above the
 * current directory, so a clone's apps agree wherever they are started), else `.data` in the current directory.
 */
import { existsSync } from "node:fs";
import path from "node:path";

/** The workspace root (folder with pnpm-workspace.yaml) at or above `from`, if any. */
export function findWorkspaceRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The absolute DATA_DIR: `flag`, else `env.DATA_DIR` (blank counts as unset), against `cwd`; else `<workspace or cwd>/.data`. */
export function resolveDataDir(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): string {
  const given = flag?.trim() || env.DATA_DIR?.trim();
  if (given) return path.resolve(cwd, given);
  return path.join(findWorkspaceRoot(cwd) ?? path.resolve(cwd), ".data");
}
