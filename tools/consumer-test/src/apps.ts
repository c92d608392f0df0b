import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { bareImports } from "./pack.js";
import { readPackageJson, workspaceRoot, type Library } from "./workspace.js";

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : sourceFiles(path);
    return /\.(c|m)?(t|j)sx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/**
 * Issue 6: "Apps stay private and use the libraries only through their package entry points."
 * Every apps/* package.json is private, and no app source (src/, bin/) reaches into a library: no
 * `@mass-ingest/<lib>/<subpath>` unless the library exports that subpath (e.g. `@mass-ingest/core/aws`),
 * no relative path into packages/.
 */
export function appProblems(libraries: readonly Library[]): string[] {
  const entryPoints = new Set(libraries.flatMap((l) => [...l.entries.map((e) => e.specifier), `${l.name}/package.json`]));
  const appsDir = join(workspaceRoot, "apps");
  if (!existsSync(appsDir)) return [];
  const problems: string[] = [];
  for (const app of readdirSync(appsDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const dir = join(appsDir, app.name);
    if (!existsSync(join(dir, "package.json"))) continue;
    const pkg = readPackageJson(dir);
    if (pkg.private !== true) problems.push(`apps/${app.name}/package.json is not "private": true (apps are never published)`);
    for (const file of [...sourceFiles(join(dir, "src")), ...sourceFiles(join(dir, "bin"))]) {
      const source = readFileSync(file, "utf8");
      const where = relative(workspaceRoot, file);
      for (const spec of bareImports(source)) {
        const lib = libraries.find((l) => spec.startsWith(`${l.name}/`));
        if (lib && !entryPoints.has(spec)) {
          const points = lib.entries.map((e) => `"${e.specifier}"`).join(" or ");
          problems.push(`${where} imports "${spec}": use ${points} (its package entry points)`);
        }
      }
      for (const match of source.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](\.{1,2}\/[^"']*packages\/[^"']*)["']/g)) {
        problems.push(`${where} imports "${match[1]}": reach libraries through their package name, not a path into packages/`);
      }
    }
  }
  return problems;
}
