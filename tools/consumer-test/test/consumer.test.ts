// Issue 6: every library in packages/ is publishable on its own, proven the way other teams will use it.
// Issue 11 items 3 and 4: packing a fresh clone ships a whole package, and the published types need no @types/node.
// 1. Each library is packed with pnpm from a clean state (its dist/ moved aside: the prepack script builds it;
//    workspace: ranges replaced) and the tarball is checked: manifest, contents, publint --strict, attw (node16
//    profile: ESM and CJS consumers, every subpath export such as @mass-ingest/core/aws).
// 2. verdaccio starts on loopback (@mass-ingest/* local-only, everything else proxied from registry.npmjs.org),
//    the tarballs are published to it with `npm publish`, and a scratch npm project in os.tmpdir() installs
//    them with plain npm (no @types/node). Every entry point is type-checked from a consumer with no Node types
//    (`types: []`, strict, skipLibCheck false); then @types/node is added, and the project imports (ESM) and
//    requires (CJS) every entry point, type-checks a TypeScript consumer against the published declarations,
//    and parses + plans a csv through the public API.
import { mkdtempSync, realpathSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appProblems } from "../src/apps.js";
import {
  NO_NODE_COMPILER_OPTIONS,
  createScratchProject,
  installLibraries,
  installNodeTypes,
  integrityOf,
  nodeTypesPresence,
  publishAll,
  runFixture,
  typecheck,
  typecheckWithoutNode,
  type ScratchProject,
} from "../src/consumer.js";
import { lintTarball } from "../src/lint.js";
import { manifestProblems, packLibrary, pnpmBinary, publishedTargets, type PackedLibrary } from "../src/pack.js";
import { startRegistry, type LocalRegistry } from "../src/registry.js";
import { cleanEnv, runOk } from "../src/run.js";
import { declaresNodeTypes, projectRoot, publicLibraries, readPackageJson, workspaceRoot, type Entry } from "../src/workspace.js";

const allLibraries = publicLibraries();
/** CONSUMER_TEST_LIBRARIES=@mass-ingest/a,@mass-ingest/b narrows a debugging run to some libraries (default: all). */
const only = (process.env.CONSUMER_TEST_LIBRARIES ?? "")
  .split(",")
  .map((n) => n.trim())
  .filter(Boolean);
const libraries = only.length ? allLibraries.filter((l) => only.includes(l.name)) : allLibraries;
const names = libraries.map((l) => l.name);
/** Every entry point a consumer can import, e.g. "@mass-ingest/core" and "@mass-ingest/core/aws". */
const entryPoints = libraries.flatMap((library) => library.entries.map((entry) => ({ library, entry, specifier: entry.specifier })));
const specifiers = entryPoints.map((e) => e.specifier);

/** The libraries that exist today (the list above is derived from packages/*; this only guards against losing one). */
const EXPECTED = ["@mass-ingest/batch", "@mass-ingest/contract", "@mass-ingest/core", "@mass-ingest/partition", "@mass-ingest/pipeline"];
/**
 * Libraries whose API is plain data (constants, csv rows, plans): their types must compile with no Node types at
 * all, they may not opt out by declaring @types/node as a peer.
 */
const NODE_FREE = ["@mass-ingest/contract", "@mass-ingest/partition"];

const work = realpathSync(mkdtempSync(join(tmpdir(), "mass-ingest-consumer-")));
const npmCache = process.env.CONSUMER_TEST_NPM_CACHE || join(work, "npm-cache");
const packed = new Map<string, PackedLibrary>();
/** Each entry point's source export names, read right after packing (the build the tarball holds). */
const sourceExports = new Map<string, string[]>();
let registry: LocalRegistry | undefined;
let project: ScratchProject | undefined;
let installed = false;
let nodeTypesAdded = false;

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
/** A path in the scratch project's node_modules for an exports target ("./dist/aws.js"). */
function installedFile(dir: string, name: string, target: string | undefined): string {
  return join(dir, "node_modules", name, (target ?? "").replace(/^\.\//, ""));
}
/** The source module an entry point is built from: dist/aws.js <- src/aws.ts (tsup's entry naming). */
function sourceOf(libraryDir: string, entry: Entry): string {
  return join(libraryDir, "src", basename(entry.import?.default ?? "index.js").replace(/\.js$/, ".ts"));
}

afterAll(async () => {
  await registry?.stop();
  if (!process.env.CONSUMER_TEST_KEEP) await rm(work, { recursive: true, force: true });
  else console.log(`consumer-test: kept ${work}`);
});

describe("workspace", () => {
  it("has every published library (at least the five), and consumer-test depends on each (so nx builds them before this test)", () => {
    const all = allLibraries.map((l) => l.name);
    expect(all).toEqual(expect.arrayContaining(EXPECTED));
    expect(allLibraries.flatMap((l) => l.entries.map((e) => e.specifier))).toContain("@mass-ingest/core/aws");
    const dev = readPackageJson(projectRoot).devDependencies ?? {};
    const undeclared = all.filter((n) => !dev[n]?.startsWith("workspace:"));
    expect(undeclared, "add these to tools/consumer-test/package.json devDependencies as workspace:*").toEqual([]);
  });

  it("every library builds itself when packed or published (a prepack script), so a fresh clone never ships an empty package", () => {
    const missing = allLibraries
      .filter((l) => !l.pkg.scripts?.prepack || !(l.pkg.scripts.prepack === l.pkg.scripts.build || /\btsup\b/.test(l.pkg.scripts.prepack)))
      .map((l) => `${l.name} (packages/${basename(l.dir)}/package.json: add "prepack": "tsup" to "scripts")`);
    expect(missing).toEqual([]);
  });

  it("apps stay private and import libraries only through their package entry points", () => {
    expect(appProblems(allLibraries)).toEqual([]);
  });

  it("the scratch project lives outside the workspace", () => {
    expect(work.startsWith(workspaceRoot + sep)).toBe(false);
  });

  it("the release dry run (root script release:dry-run) builds a library and lists the files it would publish", async () => {
    expect(readPackageJson(workspaceRoot).scripts?.["release:dry-run"]).toBeDefined();
    const { stdout } = await runOk(
      "pnpm release:dry-run",
      await pnpmBinary(),
      ["run", "--silent", "release:dry-run", "@mass-ingest/contract"],
      {
        cwd: workspaceRoot,
        env: cleanEnv(),
        timeoutMs: 180_000,
      },
    );
    const contract = libraries.find((l) => l.name === "@mass-ingest/contract");
    expect(stdout).toMatch(new RegExp(`^@mass-ingest/contract@${contract?.version.replace(/\./g, "\\.")}: \\d+ files$`, "m"));
    for (const file of ["package.json", "README.md", "LICENSE", ...publishedTargets(contract?.pkg ?? { name: "", version: "" })]) {
      expect(stdout).toMatch(new RegExp(`^  ${file.replace(/\./g, "\\.")}$`, "m"));
    }
    expect(stdout).not.toContain("MISSING");
  });
});

describe.each(libraries)("$name as published", (library) => {
  it("packs with pnpm from a clean state (dist/ removed): prepack builds it, the tarball holds the build", async () => {
    const p = await packLibrary(library, join(work, "tarballs"), { fromClean: true });
    packed.set(library.name, p);
    expect(p.files).toContain("package.json");
    expect(p.files).toContain("dist/index.js");
    expect(p.files).toEqual(expect.arrayContaining(publishedTargets(library.pkg)));
    expect(p.manifest.version).toBe(library.version);
    for (const entry of library.entries) {
      const source = (await import(sourceOf(library.dir, entry))) as Record<string, unknown>;
      sourceExports.set(
        entry.specifier,
        Object.keys(source)
          .filter((k) => k !== "default")
          .sort(),
      );
    }
  });

  it("has a publishable manifest and ships only its build, README and LICENSE", async () => {
    const p = need(packed.get(library.name), `pack ${library.name}`);
    expect(await manifestProblems(p)).toEqual([]);
  });

  it("passes publint --strict and attw (node16 profile) on every entry point", async () => {
    const p = need(packed.get(library.name), `pack ${library.name}`);
    const report = await lintTarball(p);
    if (report.suggestions.length) console.log(`${library.name}:\n  ${report.suggestions.join("\n  ")}`);
    expect(report.errors).toEqual([]);
    for (const entry of library.entries) expect(report.attwOutput, `attw checked ${entry.specifier}`).toContain(`"${entry.specifier}"`);
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

  it("npm installs them into a scratch project outside the workspace (and nothing else: no @types/node)", async () => {
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
    const leaked = Object.entries(lock.packages).filter(
      ([path, e]) => path.includes("@mass-ingest/testkit") || e.resolved?.startsWith("file:"),
    );
    expect(leaked).toEqual([]);
    installed = true;
  });

  // Issue 11 item 4. tsc reads every declaration file an entry pulls in (its own and its dependencies'), with
  // skipLibCheck off: a `NodeJS.ReadableStream`, `Buffer`, `AbortSignal`, `typeof fetch` or `node:*` import in a
  // published .d.ts fails here. A library whose API really is Node's declares "@types/node" as a peer dependency
  // (optional), and is then type-checked below, in the Node consumer, instead.
  it.each(entryPoints)(
    "$specifier type-checks in a consumer with no @types/node (types: [], lib ES2023, strict, skipLibCheck off)",
    async ({ library, entry, specifier }) => {
      const p = need(project, "install");
      need(installed, "install");
      expect(nodeTypesAdded, "this check must run before @types/node is installed").toBe(false);
      const presence = await nodeTypesPresence(p);
      expect(presence.installed, `@types/node was installed as a dependency of a library:\n${presence.why}`).toBe(false);
      const manifest = need(packed.get(library.name), `pack ${library.name}`).manifest;
      const check = await typecheckWithoutNode(p, specifier);
      for (const file of [entry.import?.types, entry.require?.types]) {
        expect(check.read, `tsc read ${specifier}'s ${file}`).toContain(installedFile(p.dir, library.name, file));
      }
      const errors = check.result.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
      if (declaresNodeTypes(manifest)) {
        expect(
          NODE_FREE,
          `${library.name} must not need Node types: remove @types/node from its peerDependencies and fix its declarations`,
        ).not.toContain(library.name);
        console.log(
          `${specifier} declares @types/node ${manifest.peerDependencies?.["@types/node"]} as a peer; without it tsc reports ${errors.length} errors (checked with Node types below)`,
        );
        return;
      }
      expect(
        errors,
        `${specifier}'s published types need Node's (${JSON.stringify(NO_NODE_COMPILER_OPTIONS)}). Use a structural type ` +
          `(e.g. AsyncIterable<string | Uint8Array> for a readable stream), or, if the API is Node's, declare "@types/node" ` +
          `as an optional peer dependency of ${library.name}. tsc exited ${check.result.code}`,
      ).toEqual([]);
      expect(check.result.code).toBe(0);
    },
  );

  it("adds @types/node for the Node consumers below", async () => {
    const p = need(project, "install");
    need(installed, "install");
    await installNodeTypes(p);
    expect((await nodeTypesPresence(p)).installed).toBe(true);
    nodeTypesAdded = true;
  });

  it("import (ESM) loads every entry point from the installed package, exporting what its source exports", async () => {
    const p = need(project, "install");
    need(installed, "install");
    const { value } = await runFixture<Record<string, string[] | string>>(p, "esm.mjs", specifiers);
    for (const { library, entry, specifier } of entryPoints) {
      expect(value[`${specifier}:resolved`]).toBe(`file://${installedFile(p.dir, library.name, entry.import?.default)}`);
      expect((value[specifier] as string[]).length, `${specifier} exports something`).toBeGreaterThan(0);
      expect(value[specifier], `${specifier}: the published build exports exactly what ${sourceOf(library.dir, entry)} exports`).toEqual(
        need(sourceExports.get(specifier), `pack ${library.name}`),
      );
    }
  });

  it("require (CJS) loads every entry point with the same exports", async () => {
    const p = need(project, "install");
    need(installed, "install");
    const esm = (await runFixture<Record<string, string[] | string>>(p, "esm.mjs", specifiers)).value;
    const { value } = await runFixture<Record<string, string[] | string>>(p, "cjs.cjs", specifiers);
    for (const { library, entry, specifier } of entryPoints) {
      expect(value[`${specifier}:resolved`]).toBe(installedFile(p.dir, library.name, entry.require?.default));
      expect(value[specifier], `${specifier}: CJS exports equal ESM exports`).toEqual(esm[specifier]);
    }
  });

  it("type-checks a TypeScript consumer (nodenext, ESM and CJS, @types/node) against the published declarations", async () => {
    const p = need(project, "install");
    need(installed, "install");
    need(nodeTypesAdded, "add @types/node");
    const { stdout } = await typecheck(p, specifiers);
    const read = stdout.split("\n").map((l) => l.trim());
    for (const { library, entry, specifier } of entryPoints) {
      for (const file of [entry.import?.types, entry.require?.types]) {
        expect(read, `tsc read ${specifier}'s ${file}`).toContain(installedFile(p.dir, library.name, file));
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
      strictError?: { isPartitionError: boolean; isMassIngestError: boolean; code: string };
    };
    const { value: esm } = await runFixture<Out>(p, "plan.mjs", [csv]);
    expect(esm.rowCount).toBe(7);
    expect(esm.counted).toBe(7);
    expect(esm.issues).toBe(0);
    expect(esm.streamed).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(esm.repos.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 6],
      [5, 7],
      [6, 8],
      [7, 9],
    ]);
    expect(esm.repos[1]).toMatchObject({
      cloneUrl: "https://github.com/openrewrite/rewrite-migrate-java.git",
      origin: "github.com",
      path: "openrewrite/rewrite-migrate-java",
    });
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
    expect(esm.strictError).toEqual({ isPartitionError: true, isMassIngestError: true, code: "MISSING_CLONE_URL_HEADER" });

    const { value: cjs } = await runFixture<{ rowCount: number; paths: string[]; plan: Out["plan"] }>(p, "plan.cjs", [csv]);
    expect(cjs.rowCount).toBe(7);
    expect(cjs.paths).toEqual(esm.repos.map((r) => r.path));
    expect(cjs.plan).toEqual(esm.plan);
  });
});
