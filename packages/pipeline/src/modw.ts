import { constants } from "node:fs";
import { access, chmod, mkdir, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fetch } from "undici";
import { splitUserInfo } from "@mass-ingest/core";
import { PipelineError } from "./errors.js";

/** The Code Genome Project, where Moderne CLI releases are published since 4.4.0: the default. */
export const CODE_GENOME_PROJECT = "https://artifacts.codegenomeproject.org/maven";
/** Maven Central: CLI releases up to 4.7.4 only. */
export const MAVEN_CENTRAL = "https://repo1.maven.org/maven2";
/** Where the modw wrapper is fetched from when MOD_MAVEN_REPOSITORY is unset. */
export const DEFAULT_MAVEN_REPOSITORY = CODE_GENOME_PROJECT;
/** The CLI version a fetched wrapper is pinned to, the same as the image's MODERNE_CLI_VERSION build arg. */
export const DEFAULT_MODERNE_CLI_VERSION = "4.9.2";

export const INSTALL_HINT =
  "Install the Moderne CLI 4.x (https://docs.moderne.io/user-documentation/moderne-cli/getting-started/cli-intro) so `mod` is on PATH, " +
  "set MOD_CLI to its path, or make the Maven repository reachable (MOD_MAVEN_REPOSITORY: cgp (default), central or a mirror's URL; " +
  "credentials in MODERNE_WRAPPER_DISTRIBUTION_USERNAME/_PASSWORD or _TOKEN; version in MODERNE_WRAPPER_VERSION) so the modw wrapper can be downloaded.";

export interface ResolveModOptions {
  /** MOD_CLI: an explicit executable; wins over everything. */
  modCli?: string;
  /** PATH to search for `mod` (default process.env.PATH). */
  pathEnv?: string;
  /** Maven repository root, or `cgp` / `central` (default the Code Genome Project). */
  mavenRepository?: string;
  /** The CLI version to pin: `4.x.y`, or `RELEASE` for the repository's newest (default env MODERNE_WRAPPER_VERSION, else 4.9.2). */
  version?: string;
  /** Where MODERNE_WRAPPER_VERSION and MODERNE_WRAPPER_DISTRIBUTION_USERNAME / _PASSWORD / _TOKEN are read (default process.env). */
  env?: NodeJS.ProcessEnv;
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

interface Source {
  /** Repository root, without credentials or a trailing slash. */
  repo: string;
  authorization?: string;
  /** How the credentials were given, for messages. */
  auth: "none" | "basic" | "token" | "url";
  version: string;
  timeoutMs: number;
}

/** Why the repository refused, and which setting to check. */
function refusal(status: number, url: string, source: Source): string {
  const head = `GET ${url} answered ${status} for CLI version ${source.version}`;
  const creds = "MODERNE_WRAPPER_DISTRIBUTION_USERNAME and _PASSWORD, or MODERNE_WRAPPER_DISTRIBUTION_TOKEN";
  if (status === 401) return `${head}: the repository wants credentials or rejected them; check ${creds} (auth used: ${source.auth})`;
  if (status === 403) return `${head}: the credentials are not entitled to the Moderne CLI; check the account behind ${creds}`;
  if (status === 404)
    return (
      `${head}: no such artifact; check MODERNE_WRAPPER_VERSION (${source.version}) and MOD_MAVEN_REPOSITORY (${source.repo}); ` +
      "Maven Central has releases up to 4.7.4 only, newer ones are on the Code Genome Project"
    );
  return `${head}; check MOD_MAVEN_REPOSITORY (${source.repo})`;
}

async function get(url: string, source: Source): Promise<string> {
  const res = await fetch(url, {
    redirect: "follow",
    signal: AbortSignal.timeout(source.timeoutMs),
    ...(source.authorization ? { headers: { authorization: source.authorization } } : {}),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(refusal(res.status, url, source));
  return body;
}

function sourceOf(options: ResolveModOptions): Source {
  const env = options.env ?? process.env;
  const given = (options.mavenRepository ?? "").trim();
  const named = given === "" || given === "cgp" ? CODE_GENOME_PROJECT : given === "central" ? MAVEN_CENTRAL : given;
  // A repository URL may carry credentials (`https://user:pass@mirror/...`): sent as basic auth, never printed.
  const { url, authorization: fromUrl } = splitUserInfo(named);
  const repo = url.replace(/\/+$/, "");
  const version = (options.version ?? env.MODERNE_WRAPPER_VERSION ?? "").trim() || DEFAULT_MODERNE_CLI_VERSION;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const token = env.MODERNE_WRAPPER_DISTRIBUTION_TOKEN;
  const user = env.MODERNE_WRAPPER_DISTRIBUTION_USERNAME;
  if (token) return { repo, version, timeoutMs, auth: "token", authorization: `Bearer ${token}` };
  if (user) {
    const basic = Buffer.from(`${user}:${env.MODERNE_WRAPPER_DISTRIBUTION_PASSWORD ?? ""}`).toString("base64");
    return { repo, version, timeoutMs, auth: "basic", authorization: `Basic ${basic}` };
  }
  return { repo, version, timeoutMs, ...(fromUrl ? { auth: "url" as const, authorization: fromUrl } : { auth: "none" as const }) };
}

/** `RELEASE`: the `<release>` of io/moderne/moderne-cli/maven-metadata.xml; a concrete version as given. */
async function concreteVersion(source: Source): Promise<string> {
  let version = source.version;
  if (version === "RELEASE") {
    const metadata = await get(`${source.repo}/io/moderne/moderne-cli/maven-metadata.xml`, source);
    version = /<release>\s*([^<\s]+)\s*<\/release>/.exec(metadata)?.[1] ?? "";
    if (!version) throw new Error(`${source.repo}/io/moderne/moderne-cli/maven-metadata.xml has no <release>`);
  }
  if (!/^\d+\.\d+\.\d+[\w.+-]*$/.test(version)) throw new Error(`"${version.slice(0, 40)}" is not a CLI version (MODERNE_WRAPPER_VERSION)`);
  if (Number(version.split(".")[0]) < 4)
    throw new Error(`CLI ${version}: the modw wrapper exists only from 4.0.0; pin a 4.x release (MODERNE_WRAPPER_VERSION)`);
  return version;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Downloads `moderne-cli-V-modw.sh` into `<cacheDir>/V/` and writes `<cacheDir>/V/mod` beside it, a launcher that
 * runs the wrapper with MODERNE_WRAPPER_VERSION=V (env beats the wrapper's properties, so it never follows a newer
 * release). Reuses both when present.
 */
async function fetchWrapper(cacheDir: string, version: string, source: Source): Promise<string> {
  const dir = path.join(cacheDir, version);
  const wrapper = path.join(dir, `moderne-cli-${version}-modw.sh`);
  const launcher = path.join(dir, "mod");
  if ((await isExecutable(wrapper)) && (await isExecutable(launcher))) return launcher;
  const url = `${source.repo}/io/moderne/moderne-cli/${version}/moderne-cli-${version}-modw.sh`;
  const script = await get(url, source);
  if (!script.startsWith("#!")) throw new Error(`${url} is not a shell script (check MOD_MAVEN_REPOSITORY: a login page?)`);
  await mkdir(dir, { recursive: true });
  const tmp = `${wrapper}.tmp-${process.pid}`;
  await writeFile(tmp, script, { mode: 0o755 });
  await chmod(tmp, 0o755);
  await rename(tmp, wrapper);
  const text =
    `#!/bin/sh\n# Written by mass-ingest: the Moderne CLI ${version} through its modw wrapper, pinned.\n` +
    `MODERNE_WRAPPER_VERSION=${version}\nexport MODERNE_WRAPPER_VERSION\nexec ${shellQuote(wrapper)} "$@"\n`;
  await writeFile(`${launcher}.tmp-${process.pid}`, text, { mode: 0o755 });
  await chmod(`${launcher}.tmp-${process.pid}`, 0o755);
  await rename(`${launcher}.tmp-${process.pid}`, launcher);
  return launcher;
}

/**
 * Which Moderne CLI to run: MOD_CLI if set, else `mod` on PATH, else the 4.x `modw` wrapper of a pinned version
 * (MODERNE_WRAPPER_VERSION, default DEFAULT_MODERNE_CLI_VERSION; `RELEASE` = the repository's newest) from the
 * Maven repository (default the Code Genome Project), cached, behind a launcher that pins it. Credentials come from
 * MODERNE_WRAPPER_DISTRIBUTION_USERNAME / _PASSWORD / _TOKEN, the variables the wrapper itself reads when it
 * downloads the CLI. Throws PipelineError MOD_CLI_UNAVAILABLE with an install hint when none of that works; a
 * 401/403/404 names the URL, the version and the setting to check.
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

  const source = sourceOf(options);
  const cacheDir = options.cacheDir ?? path.join(os.homedir(), ".cache", "mass-ingest", "modw");
  try {
    const version = await concreteVersion(source);
    const command = await fetchWrapper(cacheDir, version, source);
    return { command, source: "modw", version };
  } catch (error) {
    throw new PipelineError(
      "MOD_CLI_UNAVAILABLE",
      `no \`mod\` on PATH and MOD_CLI unset; could not fetch the modw wrapper of CLI ${source.version} from ${source.repo}: ${(error as Error).message}`,
      { hint: INSTALL_HINT, cause: error },
    );
  }
}
