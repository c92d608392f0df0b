import { existsSync } from "node:fs";
import path from "node:path";
import { CHUNKER_ENV, PROCESSOR_ENV } from "@mass-ingest/contract";

type Env = Readonly<Record<string, string | undefined>>;

/** The workspace root (folder with pnpm-workspace.yaml) above `from`, if any: where the processor's default .data is. */
function workspaceRoot(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Where the state store is: `--state`, else STATE_URL, else (local runs only) `<DATA_DIR>/state`, with DATA_DIR
 * defaulting as the processor's does (`.data` under the workspace). `--no-state` (false): none. Undefined: a run
 * without state, as before.
 */
export function stateLocation(flag: string | false | undefined, env: Env, local: boolean, cwd = process.cwd()): string | undefined {
  if (flag === false) return undefined;
  const given = (flag ?? env[CHUNKER_ENV.stateUrl.name])?.trim();
  if (given) return /^s3:\/\//i.test(given) ? given : path.resolve(cwd, given);
  if (!local) return undefined;
  const dataDir = env[PROCESSOR_ENV.dataDir.name]?.trim() || path.join(workspaceRoot(cwd) ?? cwd, ".data");
  return path.join(path.resolve(cwd, dataDir), "state");
}
