import path from "node:path";
import { CHUNKER_ENV, PROCESSOR_ENV } from "@mass-ingest/contract";
import { resolveDataDir } from "@mass-ingest/core";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where the state store is: `--state`, else STATE_URL, else (local runs only) `<DATA_DIR>/state`, with DATA_DIR
 * resolved as in every app (core's resolveDataDir: against the current directory, default `.data` in the workspace). `--no-state` (false): none. Undefined: a run
 * without state, as before.
 */
export function stateLocation(flag: string | false | undefined, env: Env, local: boolean, cwd = process.cwd()): string | undefined {
  if (flag === false) return undefined;
  const given = (flag ?? env[CHUNKER_ENV.stateUrl.name])?.trim();
  if (given) return /^s3:\/\//i.test(given) ? given : path.resolve(cwd, given);
  if (!local) return undefined;
  return path.join(resolveDataDir(undefined, { DATA_DIR: env[PROCESSOR_ENV.dataDir.name] }, cwd), "state");
}
