import { constants } from "node:fs";
import { access, chmod, mkdir, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fetch } from "undici";
import { splitUserInfo } from "@mass-ingest/core";
import { PipelineError } from "./errors.js";

/** Maven Central, where `io.moderne:moderne-cli` is released. */
export const DEFAULT_MAVEN_REPOSITORY = "https://repo1.maven.org/maven2";

export const INSTALL_HINT =
  "Install the Moderne CLI (https://docs.moderne.io/user-documentation/moderne-cli/getting-started/cli-intro) so `mod` is on PATH, " +
  "set MOD_CLI to its path, or make the Maven repository reachable (MOD_MAVEN_REPOSITORY, default Maven Central) so the modw wrapper can be downloaded.";

export interface ResolveModOptions {
  /** MOD_CLI: an explicit executable; wins over everything. */
  modCli?: string;
  /** PATH to search for `mod` (default process.env.PATH). */
  pathEnv?: string;
  /** Maven repository root (default Maven Central). */
  mavenRepository?: string;
  /** Where the downloaded wrapper is kept (default ~/.cache/mass-ingest/modw). */
  cacheDir?: string;
  /** Download timeout (ms, default 30 000). */
  timeoutMs?: number;
}

export interface ResolvedMod {
  command: string;
  source: "MOD_CLI" | "PATH" | "modw";
  /** The wrapper's version, when downloaded. */
  version?: string;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on `pathEnv`, or undefined. */
export async function findOnPath(name: string, pathEnv = process.env.PATH ?? ""): Promise<string | undefined> {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function get(url: string, timeoutMs: number, authorization?: string): Promise<string> {
  const res = await fetch(url, {
    redirect: "follow",
    signal: AbortSignal.timeout(timeoutMs),
    ...(authorization ? { headers: { authorization } } : {}),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return body;
}

/**
 * Which Moderne CLI to run: MOD_CLI if set, else `mod` on PATH, else the `modw` wrapper of the latest release
 * from the Maven repository (`io/moderne/moderne-cli/maven-metadata.xml` -> `<release>` ->
 * `V/moderne-cli-V-modw.sh`), cached and made executable. Throws PipelineError MOD_CLI_UNAVAILABLE with an
 * install hint when none of that works.
 */
export async function resolveModCommand(options: ResolveModOptions = {}): Promise<ResolvedMod> {
  if (options.modCli) {
    if (!(await isExecutable(options.modCli)) && !(await findOnPath(options.modCli, options.pathEnv))) {
      throw new PipelineError("MOD_CLI_UNAVAILABLE", `MOD_CLI=${options.modCli} is not an executable file`, { hint: INSTALL_HINT });
    }
    return { command: options.modCli, source: "MOD_CLI" };
  }
  const onPath = await findOnPath("mod", options.pathEnv);
  if (onPath) return { command: onPath, source: "PATH" };

  // A repository URL may carry credentials (`https://user:pass@mirror/...`): sent as basic auth, never printed.
  const { url: repoUrl, authorization } = splitUserInfo(options.mavenRepository ?? DEFAULT_MAVEN_REPOSITORY);
  const repo = repoUrl.replace(/\/+$/, "");
  const base = `${repo}/io/moderne/moderne-cli`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const cacheDir = options.cacheDir ?? path.join(os.homedir(), ".cache", "mass-ingest", "modw");
  let version: string;
  try {
    const metadata = await get(`${base}/maven-metadata.xml`, timeoutMs, authorization);
    const match = /<release>\s*([^<\s]+)\s*<\/release>/.exec(metadata);
    if (!match?.[1]) throw new Error(`${base}/maven-metadata.xml has no <release>`);
    version = match[1];
    if (!/^[\w.+-]+$/.test(version)) throw new Error(`unexpected release version "${version.slice(0, 40)}"`);
  } catch (error) {
    throw new PipelineError(
      "MOD_CLI_UNAVAILABLE",
      `no \`mod\` on PATH, MOD_CLI unset, and the latest release could not be read from ${base}/maven-metadata.xml: ${(error as Error).message}`,
      {
        hint: INSTALL_HINT,
        cause: error,
      },
    );
  }
  const target = path.join(cacheDir, `moderne-cli-${version}-modw.sh`);
  if (await isExecutable(target)) return { command: target, source: "modw", version };
  const url = `${base}/${version}/moderne-cli-${version}-modw.sh`;
  try {
    const script = await get(url, timeoutMs, authorization);
    if (!script.startsWith("#!")) throw new Error(`${url} is not a shell script`);
    await mkdir(cacheDir, { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    await writeFile(tmp, script, { mode: 0o755 });
    await chmod(tmp, 0o755);
    await rename(tmp, target);
  } catch (error) {
    throw new PipelineError("MOD_CLI_UNAVAILABLE", `could not download the modw wrapper ${url}: ${(error as Error).message}`, {
      hint: INSTALL_HINT,
      cause: error,
    });
  }
  return { command: target, source: "modw", version };
}
