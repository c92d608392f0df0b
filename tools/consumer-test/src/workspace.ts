import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root (tools/consumer-test/src -> ../../..). */
export const workspaceRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
/** This project's folder. */
export const projectRoot = resolve(workspaceRoot, "tools/consumer-test");

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  license?: string;
  engines?: Record<string, string>;
  sideEffects?: boolean | string[];
  publishConfig?: Record<string, unknown>;
  exports?: unknown;
  main?: string;
  module?: string;
  types?: string;
  files?: string[];
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  scripts?: Record<string, string>;
  packageManager?: string;
}

/** One `exports` condition's files, e.g. `{ types: "./dist/aws.d.ts", default: "./dist/aws.js" }`. */
export interface EntryFiles {
  types?: string;
  default?: string;
}

/** One entry point a consumer can import: "." or a subpath such as "./aws". */
export interface Entry {
  /** What a consumer writes: "@mass-ingest/core" or "@mass-ingest/core/aws". */
  specifier: string;
  /** The exports key: "." or "./aws". */
  subpath: string;
  import?: EntryFiles;
  require?: EntryFiles;
}

export interface Library {
  /** npm name, e.g. "@mass-ingest/partition". */
  name: string;
  version: string;
  /** Absolute folder, e.g. /…/packages/partition. */
  dir: string;
  pkg: PackageJson;
  /** Every code entry point of its `exports` ("." first; "./package.json" left out). */
  entries: Entry[];
}

export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
}

/**
 * Every publishable library: each packages/* folder whose package.json is not `private`. New libraries are
 * picked up as they appear (and must then be added to this project's devDependencies; see the test).
 */
export function publicLibraries(): Library[] {
  const packagesDir = join(workspaceRoot, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(packagesDir, d.name, "package.json")))
    .map((d) => {
      const dir = join(packagesDir, d.name);
      const pkg = readPackageJson(dir);
      return { name: pkg.name, version: pkg.version, dir, pkg, entries: entriesOf(pkg.name, pkg.exports) };
    })
    .filter((lib) => lib.pkg.private !== true)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The code entry points of an `exports` map: "." and every subpath except "./package.json" ("." first). */
export function entriesOf(name: string, exports: unknown): Entry[] {
  if (typeof exports !== "object" || exports === null) return [];
  return Object.entries(exports as Record<string, unknown>)
    .filter(([subpath]) => subpath !== "./package.json" && !subpath.endsWith(".json"))
    .map(([subpath, target]) => {
      const t = (typeof target === "object" && target !== null ? target : {}) as { import?: EntryFiles; require?: EntryFiles };
      return { specifier: subpath === "." ? name : `${name}/${subpath.slice(2)}`, subpath, import: t.import, require: t.require };
    })
    .sort((a, b) => (a.subpath === "." ? -1 : b.subpath === "." ? 1 : a.subpath.localeCompare(b.subpath)));
}

/** Does the package declare that its published types need Node's (`@types/node` as a peer dependency)? */
export function declaresNodeTypes(pkg: PackageJson): boolean {
  return pkg.peerDependencies?.["@types/node"] !== undefined;
}

/** The pnpm version the workspace pins in its root `packageManager` field (e.g. "12.4.2"). */
export function pinnedPnpmVersion(): string {
  const spec = readPackageJson(workspaceRoot).packageManager ?? "";
  const match = /^pnpm@([^+]+)/.exec(spec);
  if (!match?.[1]) throw new Error(`root package.json packageManager is "${spec}", expected "pnpm@<version>"`);
  return match[1];
}

/** Absolute path of a file inside a package installed at the workspace root (verdaccio, attw, typescript). */
export function rootModule(specifier: string): string {
  const path = join(workspaceRoot, "node_modules", specifier);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`pnpm install\` at the workspace root (it is a root devDependency)`);
  }
  return path;
}
