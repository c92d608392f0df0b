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
  files?: string[];
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  packageManager?: string;
}

export interface Library {
  /** npm name, e.g. "@mass-ingest/partition". */
  name: string;
  version: string;
  /** Absolute folder, e.g. /…/packages/partition. */
  dir: string;
  pkg: PackageJson;
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
      return { name: pkg.name, version: pkg.version, dir, pkg };
    })
    .filter((lib) => lib.pkg.private !== true)
    .sort((a, b) => a.name.localeCompare(b.name));
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
