import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { PackedLibrary } from "./pack.js";
import type { LocalRegistry } from "./registry.js";
import { ConsumerCheckError, cleanEnv, run, runOk, type RunResult } from "./run.js";
import { rootModule } from "./workspace.js";

/** The consumer files copied into every scratch project (ESM/CJS/TypeScript consumers, a repos.csv). */
export const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** Environment for npm: only the configs we write (no ~/.npmrc, no global npmrc), our cache. */
export function npmEnv(dirs: { userconfig: string; cache: string; globalconfig: string }): NodeJS.ProcessEnv {
  return cleanEnv({
    npm_config_userconfig: dirs.userconfig,
    npm_config_globalconfig: dirs.globalconfig,
    npm_config_cache: dirs.cache,
  });
}

/** `npm publish` each tarball as a publisher (token in a publisher-only .npmrc). */
export async function publishAll(
  packed: readonly PackedLibrary[],
  registry: LocalRegistry,
  work: string,
  cache: string,
): Promise<RunResult[]> {
  const dir = join(work, "publisher");
  await mkdir(dir, { recursive: true });
  const userconfig = join(dir, ".npmrc");
  await writeFile(userconfig, `registry=${registry.url}\n${registry.authLine}\n`, { mode: 0o600 });
  const env = npmEnv({ userconfig, cache, globalconfig: join(dir, "no-global-npmrc") });
  const results: RunResult[] = [];
  for (const p of packed) {
    // npm lets publishConfig.registry win over our registry: never risk publishing a test build anywhere else.
    if (p.manifest.publishConfig?.registry !== undefined) {
      throw new ConsumerCheckError(
        "PUBLISH_REGISTRY_PINNED",
        `${p.library.name} sets publishConfig.registry; refusing to publish a test build`,
        {
          hint: "drop publishConfig.registry from the package.json; pass the registry at release time instead (docs/releasing.md)",
        },
      );
    }
    const tag = p.manifest.version.includes("-") ? ["--tag", "next"] : [];
    results.push(
      await runOk(`npm publish ${p.library.name}`, "npm", ["publish", p.tarball, "--registry", registry.url, ...tag], {
        cwd: dir,
        env,
        timeoutMs: 120_000,
      }),
    );
  }
  return results;
}

export interface ScratchProject {
  dir: string;
  env: NodeJS.ProcessEnv;
}

/**
 * A fresh npm project outside the workspace (`npm init -y`) whose .npmrc points at the local registry,
 * with the fixture consumers copied in. Nothing in it can see the workspace's node_modules.
 */
export async function createScratchProject(work: string, registry: LocalRegistry, cache: string): Promise<ScratchProject> {
  const dir = join(work, "consumer");
  await mkdir(dir, { recursive: true });
  // A consumer's own user config: no token, the registry only. Installs are anonymous, as for any reader.
  const userconfig = join(work, "consumer-user.npmrc");
  await writeFile(userconfig, `registry=${registry.url}\n`);
  await writeFile(join(dir, ".npmrc"), `registry=${registry.url}\n`);
  const env = npmEnv({ userconfig, cache, globalconfig: join(work, "no-global-npmrc") });
  await runOk("npm init", "npm", ["init", "-y"], { cwd: dir, env });
  await cp(fixturesDir, dir, { recursive: true });
  return { dir, env };
}

/**
 * `npm install` exact versions of the libraries, and nothing else: no @types/node, so the first type-check
 * sees the published declarations the way a consumer without Node's types does (issue 11 item 4).
 */
export async function installLibraries(project: ScratchProject, packed: readonly PackedLibrary[]): Promise<RunResult> {
  const specs = packed.map((p) => `${p.library.name}@${p.manifest.version}`);
  return npmInstall(project, specs);
}

/** Add @types/node to the scratch project (for the libraries whose API is Node's, and the Node consumer). */
export async function installNodeTypes(project: ScratchProject): Promise<RunResult> {
  return npmInstall(project, ["@types/node@20"]);
}

/** Is @types/node in the scratch project, and if so, who brought it (`npm ls @types/node`)? */
export async function nodeTypesPresence(project: ScratchProject): Promise<{ installed: boolean; why: string }> {
  const installed = existsSync(join(project.dir, "node_modules", "@types", "node", "package.json"));
  if (!installed) return { installed, why: "" };
  const ls = await run("npm", ["ls", "--all", "@types/node"], { cwd: project.dir, env: project.env });
  return { installed, why: ls.output.trim() };
}

function npmInstall(project: ScratchProject, specs: readonly string[]): Promise<RunResult> {
  return runOk("npm install", "npm", ["install", "--fetch-retries=4", "--no-audit", "--no-fund", ...specs], {
    cwd: project.dir,
    env: project.env,
    timeoutMs: 170_000,
    hint: "a third-party dependency comes from registry.npmjs.org through verdaccio's uplink: is the network up?",
  });
}

/** npm's `integrity` for a tarball (what the lockfile must record if we installed exactly what we packed). */
export async function integrityOf(tarball: string): Promise<string> {
  return `sha512-${createHash("sha512")
    .update(await readFile(tarball))
    .digest("base64")}`;
}

/** Run a fixture with node inside the scratch project and parse the JSON it prints. */
export async function runFixture<T>(
  project: ScratchProject,
  script: string,
  args: readonly string[] = [],
): Promise<{ value: T; result: RunResult }> {
  const result = await runOk(`node ${script}`, process.execPath, [script, ...args], { cwd: project.dir, env: project.env });
  const line = result.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return { value: JSON.parse(line) as T, result };
  } catch {
    throw new Error(`node ${script} printed no JSON on its last line:\n${result.output}`);
  }
}

/**
 * The workspace's TypeScript (root devDependency) type-checking the scratch consumer (fixtures/consumer.mts and
 * consumer.cts, which use the APIs, plus entries.mts/entries.cts written here, which import every entry point
 * so that a library the fixtures do not use yet is still checked); lists the files it read.
 */
export async function typecheck(project: ScratchProject, specifiers: readonly string[]): Promise<RunResult> {
  const esm = specifiers.map((s, i) => `import * as entry${i} from "${s}";`);
  const cjs = specifiers.map((s, i) => `import entry${i} = require("${s}");`);
  const names = `export const names: string[][] = [${specifiers.map((_, i) => `Object.keys(entry${i})`).join(", ")}];\n`;
  await writeFile(join(project.dir, "entries.mts"), `${esm.join("\n")}\n${names}`);
  await writeFile(join(project.dir, "entries.cts"), `${cjs.join("\n")}\n${names}`);
  return runOk("tsc", process.execPath, [tscPath(), "-p", join(project.dir, "tsconfig.json"), "--listFiles"], {
    cwd: project.dir,
    env: project.env,
    timeoutMs: 120_000,
  });
}

function tscPath(): string {
  return join(rootModule("typescript"), "bin", "tsc");
}

/** The compiler options of a consumer that has no Node types: strict, ES lib only, no `types`, every .d.ts checked. */
export const NO_NODE_COMPILER_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  lib: ["ES2023"],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: false,
} as const;

export interface NoNodeCheck {
  /** The entry point checked, e.g. "@mass-ingest/core/aws". */
  specifier: string;
  /** tsc's result: exit code and the errors it printed. */
  result: RunResult;
  /** The published declaration files tsc read for this entry (ESM and CJS). */
  read: string[];
}

/**
 * Type-check one entry point from a consumer with NO Node types: a `.mts` that imports it and a `.cts` that
 * requires it, under `types: []`, `lib: ["ES2023"]`, `strict`, `skipLibCheck: false`. Every declaration file
 * the entry pulls in (its own and its dependencies') must compile without `NodeJS`, `Buffer`, `node:*` & co.
 */
export async function typecheckWithoutNode(project: ScratchProject, specifier: string): Promise<NoNodeCheck> {
  const dir = join(project.dir, "no-node", specifier.replace(/^@/, "").replace(/\//g, "__"));
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: NO_NODE_COMPILER_OPTIONS, files: ["esm.mts", "cjs.cts"] }, null, 2),
  );
  await writeFile(join(dir, "esm.mts"), `import * as entry from "${specifier}";\nexport const names: string[] = Object.keys(entry);\n`);
  await writeFile(join(dir, "cjs.cts"), `import entry = require("${specifier}");\nexport const names: string[] = Object.keys(entry);\n`);
  const result = await run(process.execPath, [tscPath(), "-p", join(dir, "tsconfig.json"), "--listFiles"], {
    cwd: dir,
    env: project.env,
    timeoutMs: 120_000,
  });
  const read = result.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.includes(`${sep}node_modules${sep}@mass-ingest${sep}`));
  return { specifier, result, read };
}
