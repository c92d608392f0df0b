import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { builtinModules } from "node:module";
import { basename, join, relative } from "node:path";
import { ConsumerCheckError, cleanEnv, run, runOk } from "./run.js";
import { entriesOf, pinnedPnpmVersion, workspaceRoot, type Library, type PackageJson } from "./workspace.js";

export interface PackedLibrary {
  library: Library;
  /** Absolute path of the .tgz `pnpm pack` wrote. */
  tarball: string;
  /** The tarball unpacked (its `package/` folder). */
  unpacked: string;
  /** package.json as it will be published (workspace: ranges replaced). */
  manifest: PackageJson;
  /** Every file in the tarball, relative to `package/`, sorted. */
  files: string[];
}

/**
 * `pnpm pack` one library (pnpm replaces `workspace:` ranges with real versions, as `pnpm publish` does) and
 * unpack the result for inspection. Packing runs the library's `prepack` script (tsup), so a library packs
 * whole even on a fresh clone. `fromClean` proves that: the library's dist/ is moved aside first, and put back
 * only if packing fails (on success the freshly built dist/ stays).
 */
export async function packLibrary(library: Library, outDir: string, options: { fromClean?: boolean } = {}): Promise<PackedLibrary> {
  const dest = join(outDir, basename(library.dir));
  await mkdir(dest, { recursive: true });
  const dist = join(library.dir, "dist");
  const aside = join(outDir, `${basename(library.dir)}.dist-aside`);
  const movedAside = options.fromClean === true && existsSync(dist);
  if (movedAside) {
    await cp(dist, aside, { recursive: true });
    await rm(dist, { recursive: true, force: true });
  }
  let packed = false;
  try {
    await runOk("pnpm pack", await pnpmBinary(), ["pack", "--pack-destination", dest], {
      cwd: library.dir,
      env: cleanEnv(),
      timeoutMs: 180_000,
      hint: `pnpm pack runs the library's prepack script (its build); try \`pnpm nx run ${basename(library.dir)}:build\``,
    });
    packed = true;
  } finally {
    if (movedAside && !packed) {
      await rm(dist, { recursive: true, force: true });
      await cp(aside, dist, { recursive: true });
    }
    if (movedAside) await rm(aside, { recursive: true, force: true });
  }
  const tgz = (await readdir(dest)).filter((f) => f.endsWith(".tgz"));
  if (tgz.length !== 1 || !tgz[0]) {
    throw new ConsumerCheckError("PACK_FAILED", `pnpm pack of ${library.name} left ${tgz.length} tarballs in ${dest}: ${tgz.join(", ")}`);
  }
  const tarball = join(dest, tgz[0]);
  const unpackDir = join(dest, "unpacked");
  await mkdir(unpackDir);
  await runOk("unpack", "tar", ["-xzf", tarball, "-C", unpackDir], { cwd: dest });
  const unpacked = join(unpackDir, "package");
  const manifest = JSON.parse(await readFile(join(unpacked, "package.json"), "utf8")) as PackageJson;
  const files = (await readdir(unpacked, { recursive: true, withFileTypes: true }))
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(unpacked, join(entry.parentPath, entry.name)))
    .sort();
  return { library, tarball, unpacked, manifest, files };
}

let pnpmPath: Promise<string> | undefined;

/**
 * The workspace's pinned pnpm: `pnpm` on PATH when it is that version (as under `npx pnpm@X exec nx …`),
 * otherwise the binary npx fetches for `pnpm@X` (resolved once: each `npx` start costs seconds).
 */
export function pnpmBinary(): Promise<string> {
  pnpmPath ??= (async () => {
    const version = pinnedPnpmVersion();
    const onPath = await run("pnpm", ["--version"], { cwd: workspaceRoot, env: cleanEnv() }).catch(() => undefined);
    if (onPath?.code === 0 && onPath.stdout.trim() === version) return "pnpm";
    const found = await runOk("locate pnpm", "npx", ["-y", "-p", `pnpm@${version}`, "-c", "command -v pnpm"], {
      cwd: workspaceRoot,
      env: cleanEnv(),
    });
    const path = found.stdout.trim().split("\n").at(-1) ?? "";
    if (!path || !existsSync(path))
      throw new ConsumerCheckError("PNPM_NOT_FOUND", `could not find pnpm ${version} (npx printed "${path}")`);
    return path;
  })();
  return pnpmPath;
}

/** Every file the manifest points at (exports conditions, main, module, types, bin), relative, without "./". */
export function publishedTargets(m: PackageJson): string[] {
  const targets = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === "string") {
      if (!value.includes("*")) targets.add(value.replace(/^\.\//, ""));
    } else if (typeof value === "object" && value !== null) {
      for (const v of Object.values(value)) add(v);
    }
  };
  add(m.exports);
  add(m.main);
  add(m.module);
  add(m.types);
  add(m.bin);
  return [...targets].sort();
}

const DEP_FIELDS = ["dependencies", "peerDependencies", "optionalDependencies"] as const;
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The npm package a bare specifier belongs to ("@scope/name/sub" -> "@scope/name", "pkg/sub" -> "pkg"). */
export function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** Bare module specifiers a built JS file imports, requires or dynamically imports. */
export function bareImports(source: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bfrom\s*["']([^"'\s]+)["']/g,
    /\bimport\s*["']([^"'\s]+)["']/g,
    /\bimport\s*\(\s*["']([^"'\s]+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"'\s]+)["']\s*\)/g,
  ];
  for (const re of patterns) {
    for (const match of source.matchAll(re)) {
      const spec = match[1];
      if (!spec || spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("#")) continue;
      found.add(spec);
    }
  }
  return [...found].sort();
}

/**
 * What the published package must look like (issue 6). Returns human-readable problems; empty = good.
 * publint and attw cover the exports map; this covers the rest: no workspace leaks, the fields the issue
 * asks for, README and LICENSE shipped, nothing but build output shipped, every import declared.
 */
export async function manifestProblems(packed: PackedLibrary): Promise<string[]> {
  const { manifest: m, files } = packed;
  const problems: string[] = [];
  const raw = JSON.stringify(m);
  if (raw.includes("workspace:"))
    problems.push(`package.json still contains a "workspace:" range: ${raw.match(/"[^"]*":"workspace:[^"]*"/g)?.join(", ")}`);
  if (m.private) problems.push(`"private": true (it could not be published)`);
  if (m.name !== packed.library.name) problems.push(`name is ${m.name}, expected ${packed.library.name}`);
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(m.version ?? "")) problems.push(`version "${m.version}" is not semver`);
  if (m.type !== "module") problems.push(`"type" is ${JSON.stringify(m.type)}, expected "module" (ESM first, CJS as .cjs)`);
  if (!m.license) problems.push(`no "license" field`);
  if (!m.engines?.node) problems.push(`no "engines.node" field`);
  if (m.sideEffects === undefined) problems.push(`no "sideEffects" field`);
  if (m.publishConfig?.access !== "public")
    problems.push(
      `publishConfig.access is ${JSON.stringify(m.publishConfig?.access)}, expected "public" (scoped packages are private by default)`,
    );
  if (!Array.isArray(m.files) || m.files.length === 0) problems.push(`no "files" whitelist`);

  const entries = entriesOf(m.name, m.exports);
  if (!entries.some((e) => e.subpath === ".")) problems.push(`exports has no "." entry`);
  for (const entry of entries) {
    for (const condition of ["import", "require"] as const) {
      const target = entry[condition];
      if (!target?.types || !target.default)
        problems.push(`exports["${entry.subpath}"].${condition} must have "types" and "default" (got ${JSON.stringify(target)})`);
    }
  }
  for (const target of publishedTargets(m)) {
    if (!files.includes(target))
      problems.push(`${target} is named in package.json but not in the tarball (was the library built before packing?)`);
  }
  const scripts = packed.library.pkg.scripts ?? {};
  if (!scripts.prepack || !(scripts.prepack === scripts.build || /\btsup\b/.test(scripts.prepack))) {
    problems.push(
      `no "prepack" script that builds (got ${JSON.stringify(scripts.prepack)}): packing a fresh clone would ship an empty package; add "prepack": "tsup"`,
    );
  }

  if (!files.some((f) => /^readme(\.md)?$/i.test(f)))
    problems.push("README.md is not in the tarball (add it to the package folder; `files` lists it)");
  if (!files.some((f) => /^(licen[cs]e|copying)(\.\w+)?$/i.test(f)))
    problems.push("no LICENSE file in the tarball (add one to the package folder; `files` lists it)");
  const stray = files.filter((f) => !/^(dist\/|package\.json$|readme|licen[cs]e|changelog)/i.test(f));
  if (stray.length) problems.push(`files outside dist/ are published: ${stray.join(", ")}`);

  const declared = new Set(DEP_FIELDS.flatMap((field) => Object.keys(m[field] ?? {})));
  for (const [field, deps] of DEP_FIELDS.map((f) => [f, m[f] ?? {}] as const)) {
    for (const [dep, range] of Object.entries(deps)) {
      if (/^(workspace|file|link|portal|catalog):/.test(range))
        problems.push(`${field}.${dep} is "${range}" (not installable from a registry)`);
    }
  }
  for (const file of files.filter((f) => /\.(c|m)?js$/.test(f))) {
    const source = await readFile(join(packed.unpacked, file), "utf8");
    for (const spec of bareImports(source)) {
      if (builtins.has(spec) || builtins.has(packageOf(spec))) continue;
      const pkg = packageOf(spec);
      if (pkg === m.name) continue;
      if (!declared.has(pkg)) problems.push(`${file} imports "${spec}" but ${pkg} is not in dependencies/peerDependencies`);
    }
  }
  return problems;
}

export interface DryRunPack {
  name: string;
  version: string;
  /** What `pnpm pack --dry-run` says the tarball would hold, sorted. */
  files: string[];
  /** Files package.json points at that the tarball would not hold (empty = whole). */
  missing: string[];
}

/**
 * `pnpm pack --dry-run --json` one library: runs its prepack (the build) and lists what would go out,
 * without writing a tarball.
 */
export async function dryRunPack(library: Library): Promise<DryRunPack> {
  const result = await runOk("pnpm pack --dry-run", await pnpmBinary(), ["pack", "--dry-run", "--json"], {
    cwd: library.dir,
    env: cleanEnv(),
    timeoutMs: 180_000,
  });
  // prepack's output comes first on stdout; pnpm's JSON is the last block starting with a line "{".
  const start = result.stdout.lastIndexOf("\n{\n");
  const json = start >= 0 ? result.stdout.slice(start + 1) : result.stdout;
  let parsed: { name: string; version: string; files: { path: string }[] };
  try {
    parsed = JSON.parse(json) as typeof parsed;
  } catch {
    throw new ConsumerCheckError("DRY_RUN_UNREADABLE", `pnpm pack --dry-run --json of ${library.name} printed no JSON`, {
      output: result.output,
    });
  }
  const files = parsed.files.map((f) => f.path).sort();
  const missing = publishedTargets(library.pkg).filter((t) => !files.includes(t));
  return { name: parsed.name, version: parsed.version, files, missing };
}
