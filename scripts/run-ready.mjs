#!/usr/bin/env node
// Is this clone ready to run the processor without set-up? Exits 0 when the install matches the lockfile and the
// processor's bundle (and every workspace package it imports) was built after its last source change; otherwise
// exits 1 and names the first thing that is out of date on stderr. scripts/run.sh skips set-up and the build when
// this says ready, so a run on a current clone starts at once. Usage: node scripts/run-ready.mjs [root]
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(process.argv[2] ?? join(import.meta.dirname, ".."));
const INPUTS = ["src", "package.json", "tsup.config.ts", "tsconfig.json", "tsconfig.build.json"];
const SHARED = ["tsup.shared.ts", "tsconfig.base.json"];

/** Newest mtime under `path` (a file or a directory), with the file that has it. */
function newest(path) {
  if (!existsSync(path)) return { at: 0, file: undefined };
  const stat = statSync(path);
  if (!stat.isDirectory()) return { at: stat.mtimeMs, file: path };
  let best = { at: 0, file: undefined };
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules") continue;
    const found = newest(join(path, entry));
    if (found.at > best.at) best = found;
  }
  return best;
}

/** Workspace projects by package name: `{ name -> dir }` over apps/* and packages/*. */
function workspace() {
  const byName = new Map();
  for (const group of ["apps", "packages"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      const manifest = join(dir, entry, "package.json");
      if (existsSync(manifest)) byName.set(JSON.parse(readFileSync(manifest, "utf8")).name, join(dir, entry));
    }
  }
  return byName;
}

/** The processor's directory and every workspace package it depends on, transitively. */
function closure(byName, start) {
  const seen = new Set();
  const todo = [start];
  while (todo.length > 0) {
    const dir = todo.pop();
    if (seen.has(dir)) continue;
    seen.add(dir);
    const deps = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).dependencies ?? {};
    for (const name of Object.keys(deps)) if (byName.has(name)) todo.push(byName.get(name));
  }
  return [...seen];
}

function stale() {
  const lock = join(root, "pnpm-lock.yaml");
  const installed = join(root, "node_modules", ".pnpm", "lock.yaml");
  if (!existsSync(installed)) return "nothing is installed yet (node_modules)";
  if (statSync(lock).mtimeMs > statSync(installed).mtimeMs) return "pnpm-lock.yaml changed since the last install";
  const processor = join(root, "apps", "processor");
  if (!existsSync(join(processor, "dist", "main.js"))) return "the processor is not built yet";
  const shared = SHARED.map((f) => newest(join(root, f))).reduce((a, b) => (b.at > a.at ? b : a));
  for (const dir of closure(workspace(), processor)) {
    const built = newest(join(dir, "dist"));
    if (built.at === 0) return `${relative(root, dir)} is not built yet`;
    const inputs = [shared, ...INPUTS.map((f) => newest(join(dir, f)))].reduce((a, b) => (b.at > a.at ? b : a));
    if (inputs.at > built.at) return `${relative(root, inputs.file)} changed since ${relative(root, dir)} was built`;
  }
  return undefined;
}

const reason = stale();
if (reason !== undefined) {
  process.stderr.write(`run.sh: ${reason}: setting up and building\n`);
  process.exit(1);
}
