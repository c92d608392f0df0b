// Issue 6: every library in packages/ is publishable on its own, proven the way other teams will use it.
// 1. Each library is packed with pnpm (workspace: ranges replaced) and the tarball is checked: manifest,
//    contents, publint --strict, attw (node16 profile: ESM and CJS consumers).
// 2. verdaccio starts on loopback (@mass-ingest/* local-only, everything else proxied from registry.npmjs.org),
//    the tarballs are published to it with `npm publish`, and a scratch npm project in os.tmpdir() installs
//    them with plain npm, imports (ESM) and requires (CJS) each one, type-checks a TypeScript consumer against
//    the published declarations, and parses + plans a csv through @mass-ingest/partition's public API.
import { mkdtempSync, realpathSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appProblems } from "../src/apps.js";
import {
  createScratchProject,
  installLibraries,
  integrityOf,
  publishAll,
  runFixture,
  typecheck,
  type ScratchProject,
} from "../src/consumer.js";
import { lintTarball } from "../src/lint.js";
import { manifestProblems, packLibrary, type PackedLibrary } from "../src/pack.js";
import { startRegistry, type LocalRegistry } from "../src/registry.js";
import { projectRoot, publicLibraries, readPackageJson, workspaceRoot } from "../src/workspace.js";

const libraries = publicLibraries();
const names = libraries.map((l) => l.name);

/** The public API each library promises (docs: /work/prompts/*-api.md); a published build must export it. */
const PROMISED_EXPORTS: Record<string, string[]> = {
  "@mass-ingest/partition": [
    "parseRepos", "readRepos", "countRows", "selectRange", "selectRows", "planBySize", "planByCount", "planWeighted",
    "rangeForArrayIndex", "arrayIndexForRow", "toCsv", "deriveOriginAndPath", "PartitionError",
  ],
  "@mass-ingest/batch": [
    "PROCESSOR_PARAMETERS", "PROCESSOR_COMMAND", "substituteCommand", "ARRAY_INDEX_ENV", "TAGS", "parseSecretReference",
    "resolveSecret", "resolveSecretEnv", "openCsv", "createLogger", "resolveProcessorRange", "BatchError",
  ],
  "@mass-ingest/pipeline": ["runPipeline", "PipelineError"],
};

const work = realpathSync(mkdtempSync(join(tmpdir(), "mass-ingest-consumer-")));
const npmCache = process.env.CONSUMER_TEST_NPM_CACHE || join(work, "npm-cache");
const packed = new Map<string, PackedLibrary>();
let registry: LocalRegistry | undefined;
let project: ScratchProject | undefined;
let installed = false;

/** Later steps need earlier ones; say which one failed instead of failing obscurely. */
function need<T>(value: T | undefined | false, step: string): T {
  if (value === undefined || value === false) throw new Error(`not run: the "${step}" step failed earlier (see its error)`);
  return value;
}
function allPacked(): PackedLibrary[] {
  const missing = names.filter((n) => !packed.has(n));
  if (missing.length) throw new Error(`not run: packing failed earlier for ${missing.join(", ")}`);
  return names.map((n) => packed.get(n) as PackedLibrary);
}

afterAll(async () => {
  await registry?.stop();
  if (!process.env.CONSUMER_TEST_KEEP) await rm(work, { recursive: true, force: true });
  else console.log(`consumer-test: kept ${work}`);
});

describe("workspace", () => {
  it("has the three libraries, and consumer-test depends on each (so nx builds them before this test)", () => {
    expect(names).toEqual(expect.arrayContaining(["@mass-ingest/batch", "@mass-ingest/partition", "@mass-ingest/pipeline"]));
    const dev = readPackageJson(projectRoot).devDependencies ?? {};
    const undeclared = names.filter((n) => !dev[n]?.startsWith("workspace:"));
    expect(undeclared, "add these to tools/consumer-test/package.json devDependencies as workspace:*").toEqual([]);
  });

  it("apps stay private and import libraries only through their package entry points", () => {
    expect(appProblems(names)).toEqual([]);
  });

  it("the scratch project lives outside the workspace", () => {
    expect(work.startsWith(workspaceRoot + sep)).toBe(false);
  });
});

describe.each(libraries)("$name as published", (library) => {
  it("packs with pnpm", async () => {
    const p = await packLibrary(library, join(work, "tarballs"));
    packed.set(library.name, p);
    expect(p.files).toContain("package.json");
    expect(p.manifest.version).toBe(library.version);
  });

  it("has a publishable manifest and ships only its build, README and LICENSE", async () => {
    const p = need(packed.get(library.name), `pack ${library.name}`);
    expect(await manifestProblems(p)).toEqual([]);
  });

  it("passes publint --strict and attw (node16 profile)", async () => {
    const p = need(packed.get(library.name), `pack ${library.name}`);
    const report = await lintTarball(p);
    if (report.suggestions.length) console.log(`${library.name}:\n  ${report.suggestions.join("\n  ")}`);
    expect(report.errors).toEqual([]);
  });
});

describe("installed from a local registry with plain npm", () => {
  it("publishes every library to verdaccio on loopback", async () => {
    const tarballs = allPacked();
    registry = await startRegistry({
      dir: join(work, "registry"),
      localScopes: ["@mass-ingest/*"],
      uplink: process.env.CONSUMER_TEST_UPLINK || "https://registry.npmjs.org/",
    });
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await publishAll(tarballs, registry, work, npmCache);
    for (const p of tarballs) {
      const res = await fetch(`${registry.url}${p.library.name.replace("/", "%2f")}`);
      expect(res.status, `GET ${p.library.name} from the registry`).toBe(200);
      const doc = (await res.json()) as { versions: Record<string, { dist: { integrity: string } }> };
      expect(doc.versions[p.manifest.version]?.dist.integrity).toBe(await integrityOf(p.tarball));
    }
  });

  it("npm installs them into a scratch project outside the workspace", async () => {
    const reg = need(registry, "publish");
    const tarballs = allPacked();
    project = await createScratchProject(work, reg, npmCache);
    await installLibraries(project, tarballs);
    const lock = JSON.parse(await readFile(join(project.dir, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; resolved?: string; integrity?: string }>;
    };
    for (const p of tarballs) {
      const entry = lock.packages[`node_modules/${p.library.name}`];
      expect(entry?.version, p.library.name).toBe(p.manifest.version);
      expect(entry?.resolved?.startsWith(reg.url), `${p.library.name} came from ${entry?.resolved}`).toBe(true);
      expect(entry?.integrity, `${p.library.name}: installed exactly the tarball we packed`).toBe(await integrityOf(p.tarball));
    }
    // Nothing from the workspace leaked in: no test-only package, no link to a folder.
    const leaked = Object.entries(lock.packages).filter(([path, e]) => path.includes("@mass-ingest/testkit") || e.resolved?.startsWith("file:"));
    expect(leaked).toEqual([]);
    installed = true;
  });

  it("import (ESM) loads every library from the installed package", async () => {
    const p = need(project, "install");
    need(installed, "install");
    const { value } = await runFixture<Record<string, string[] | string>>(p, "esm.mjs", names);
    for (const name of names) {
      expect(value[`${name}:resolved`]).toBe(`file://${p.dir}/node_modules/${name}/dist/index.js`);
      expect(value[name], `${name} exports (ESM)`).toEqual(expect.arrayContaining(PROMISED_EXPORTS[name] ?? []));
      expect((value[name] as string[]).length, `${name} exports something`).toBeGreaterThan(0);
    }
  });

  it("require (CJS) loads every library with the same exports", async () => {
    const p = need(project, "install");
    need(installed, "install");
    const esm = (await runFixture<Record<string, string[] | string>>(p, "esm.mjs", names)).value;
    const { value } = await runFixture<Record<string, string[] | string>>(p, "cjs.cjs", names);
    for (const name of names) {
      expect(value[`${name}:resolved`]).toBe(join(p.dir, "node_modules", name, "dist", "index.cjs"));
      expect(value[name], `${name}: CJS exports equal ESM exports`).toEqual(esm[name]);
    }
  });

  it("type-checks a TypeScript consumer (nodenext, ESM and CJS) against the published declarations", async () => {
    const p = need(project, "install");
    need(installed, "install");
    const { stdout } = await typecheck(p);
    const read = stdout.split("\n").map((l) => l.trim());
    for (const name of names) {
      for (const file of ["index.d.ts", "index.d.cts"]) {
        expect(read, `tsc read ${name}/dist/${file}`).toContain(join(p.dir, "node_modules", name, "dist", file));
      }
    }
  });

  it("parses and plans a csv with @mass-ingest/partition's public API (ESM and CJS)", async () => {
    const p = need(project, "install");
    need(installed, "install");
    const csv = join(p.dir, "repos.csv");
    type Out = {
      rowCount: number;
      counted: number;
      issues: number;
      repos: { row: number; line: number; cloneUrl: string; origin: string; path: string; jvmopts?: string; orgs: string[] }[];
      streamed: number[];
      plan: { rowCount: number; partitions: { partition: number; start: number; end: number }[] };
      command: string[];
      strictError?: { isPartitionError: boolean; code: string };
    };
    const { value: esm } = await runFixture<Out>(p, "plan.mjs", [csv]);
    expect(esm.rowCount).toBe(7);
    expect(esm.counted).toBe(7);
    expect(esm.issues).toBe(0);
    expect(esm.streamed).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(esm.repos.map((r) => [r.row, r.line])).toEqual([[1, 2], [2, 3], [3, 4], [4, 6], [5, 7], [6, 8], [7, 9]]);
    expect(esm.repos[1]).toMatchObject({ cloneUrl: "https://github.com/openrewrite/rewrite-migrate-java.git", origin: "github.com", path: "openrewrite/rewrite-migrate-java" });
    expect(esm.repos[2]?.jvmopts).toBe("-Xmx2g -Dfoo=a,b");
    expect(esm.repos[4]?.orgs).toEqual(["Acme"]);
    expect(esm.plan.rowCount).toBe(7);
    expect(esm.plan.partitions.map(({ partition, start, end }) => ({ partition, start, end }))).toEqual([
      { partition: 1, start: 1, end: 3 },
      { partition: 2, start: 4, end: 6 },
      { partition: 3, start: 7, end: 7 },
    ]);
    expect(esm.command[0]).toBe("mass-ingest-processor");
    expect(esm.command).toContain(csv);
    expect(esm.command.join(" ")).toContain("--start 1 --end 3");
    expect(esm.command.join(" ")).not.toContain("Ref::");
    expect(esm.strictError).toEqual({ isPartitionError: true, code: "MISSING_CLONE_URL_HEADER" });

    const { value: cjs } = await runFixture<{ rowCount: number; paths: string[]; plan: Out["plan"] }>(p, "plan.cjs", [csv]);
    expect(cjs.rowCount).toBe(7);
    expect(cjs.paths).toEqual(esm.repos.map((r) => r.path));
    expect(cjs.plan).toEqual(esm.plan);
  });
});
