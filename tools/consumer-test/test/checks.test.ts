// The consumer test's own checks catch what they claim to: fed broken packages, they complain.
import { mkdtempSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bareImports, manifestProblems, packageOf, publishedTargets, type PackedLibrary } from "../src/pack.js";
import { verdaccioConfig } from "../src/registry.js";
import { typecheckWithoutNode } from "../src/consumer.js";
import { cleanEnv } from "../src/run.js";
import { entriesOf, type PackageJson } from "../src/workspace.js";

const tmp = mkdtempSync(join(tmpdir(), "consumer-checks-"));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const goodManifest: PackageJson = {
  name: "@mass-ingest/demo",
  version: "1.2.3",
  type: "module",
  license: "Apache-2.0",
  engines: { node: ">=20.19" },
  sideEffects: false,
  publishConfig: { access: "public" },
  files: ["dist", "README.md", "LICENSE"],
  exports: {
    ".": {
      import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
      require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
    },
  },
  dependencies: { "csv-parse": "^6.2.1", "@aws-sdk/client-s3": "^3.0.0" },
  scripts: { build: "tsup", prepack: "tsup" },
};

async function fakePackage(name: string, manifest: PackageJson, files: Record<string, string>): Promise<PackedLibrary> {
  const unpacked = join(tmp, name, "package");
  const all = { "package.json": JSON.stringify(manifest), ...files };
  for (const [file, text] of Object.entries(all)) {
    await mkdir(dirname(join(unpacked, file)), { recursive: true });
    await writeFile(join(unpacked, file), text);
  }
  return {
    library: {
      name: manifest.name,
      version: manifest.version,
      dir: join(tmp, name),
      pkg: manifest,
      entries: entriesOf(manifest.name, manifest.exports),
    },
    tarball: join(tmp, name, "x.tgz"),
    unpacked,
    manifest,
    files: Object.keys(all).sort(),
  };
}

const goodFiles = {
  "README.md": "# demo",
  LICENSE: "Apache-2.0",
  "dist/index.js":
    'import { parse } from "csv-parse";\nimport { S3Client } from "@aws-sdk/client-s3";\nimport fs from "node:fs";\nimport "./side.js";\n',
  "dist/index.cjs": 'const { parse } = require("csv-parse");\nconst path = require("path");\n',
  "dist/index.d.ts": "export {};\n",
  "dist/index.d.cts": "export {};\n",
};

describe("manifestProblems", () => {
  it("accepts a package that has everything issue 6 asks for", async () => {
    expect(await manifestProblems(await fakePackage("good", goodManifest, goodFiles))).toEqual([]);
  });

  it("flags workspace leaks, missing fields, missing README/LICENSE, stray files and undeclared imports", async () => {
    const bad: PackageJson = {
      ...goodManifest,
      type: undefined,
      license: undefined,
      publishConfig: undefined,
      sideEffects: undefined,
      engines: undefined,
      dependencies: { "@mass-ingest/partition": "workspace:^" },
    };
    const problems = await manifestProblems(
      await fakePackage("bad", bad, {
        "dist/index.js": 'import { x } from "@mass-ingest/partition";\nconst execa = await import("execa");\n',
        "src/index.ts": "export {};",
      }),
    );
    const text = problems.join("\n");
    for (const expected of [
      '"workspace:" range',
      '"type"',
      '"license"',
      "engines.node",
      "sideEffects",
      "publishConfig.access",
      "README.md",
      "LICENSE",
      "src/index.ts",
      'imports "execa"',
      "dependencies.@mass-ingest/partition",
    ]) {
      expect(text, `expected a problem mentioning ${expected}`).toContain(expected);
    }
  });
});

describe("a package packed before it was built (issue 11 item 3)", () => {
  it("is flagged: files package.json points at are missing, and there is no prepack build", async () => {
    const manifest: PackageJson = { ...goodManifest, scripts: { build: "tsup" } };
    const problems = await manifestProblems(await fakePackage("unbuilt", manifest, { "README.md": "# demo", LICENSE: "Apache-2.0" }));
    const text = problems.join("\n");
    for (const file of ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts"]) {
      expect(text).toContain(`${file} is named in package.json but not in the tarball`);
    }
    expect(text).toContain('no "prepack" script that builds');
  });

  it("subpath exports count: every entry point needs import/require with types, and its files shipped", async () => {
    const manifest: PackageJson = {
      ...goodManifest,
      exports: {
        ...(goodManifest.exports as Record<string, unknown>),
        "./aws": { import: { types: "./dist/aws.d.ts", default: "./dist/aws.js" } },
        "./package.json": "./package.json",
      },
    };
    expect(entriesOf(manifest.name, manifest.exports).map((e) => e.specifier)).toEqual(["@mass-ingest/demo", "@mass-ingest/demo/aws"]);
    expect(publishedTargets(manifest)).toEqual([
      "dist/aws.d.ts",
      "dist/aws.js",
      "dist/index.cjs",
      "dist/index.d.cts",
      "dist/index.d.ts",
      "dist/index.js",
      "package.json",
    ]);
    const text = (await manifestProblems(await fakePackage("subpath", manifest, goodFiles))).join("\n");
    expect(text).toContain('exports["./aws"].require must have "types" and "default"');
    expect(text).toContain("dist/aws.js is named in package.json but not in the tarball");
    expect(text).not.toContain('exports["."]');
  });
});

describe("the consumer without Node types (issue 11 item 4)", () => {
  async function consumerWith(name: string, declarations: string) {
    const dir = join(tmp, `no-node-${name}`);
    const pkg = join(dir, "node_modules", "@mass-ingest", name);
    await mkdir(join(pkg, "dist"), { recursive: true });
    const files = { types: "./dist/index.d.ts", default: "./dist/index.js" };
    const cfiles = { types: "./dist/index.d.cts", default: "./dist/index.cjs" };
    await writeFile(
      join(pkg, "package.json"),
      JSON.stringify({
        name: `@mass-ingest/${name}`,
        version: "1.0.0",
        type: "module",
        exports: { ".": { import: files, require: cfiles } },
      }),
    );
    await writeFile(join(pkg, "dist", "index.d.ts"), declarations);
    await writeFile(join(pkg, "dist", "index.d.cts"), declarations);
    return typecheckWithoutNode({ dir, env: cleanEnv() }, `@mass-ingest/${name}`);
  }

  it("fails on a declaration that uses NodeJS.ReadableStream (the reported TS2503)", async () => {
    const check = await consumerWith(
      "nodey",
      "export type CsvSource = string | NodeJS.ReadableStream | AsyncIterable<string | Uint8Array>;\n",
    );
    expect(check.result.code).not.toBe(0);
    expect(check.result.stdout).toContain("error TS2503: Cannot find namespace 'NodeJS'");
    expect(check.read.some((f) => f.endsWith(join("nodey", "dist", "index.d.cts")))).toBe(true);
  });

  it("passes the structural replacement", async () => {
    const check = await consumerWith(
      "plain",
      "export type CsvSource = string | AsyncIterable<string | Uint8Array>;\nexport declare function read(source: CsvSource): Promise<number>;\n",
    );
    expect(check.result.stdout).not.toMatch(/error TS\d+/);
    expect(check.result.code).toBe(0);
  });
});

describe("import scanning", () => {
  it("finds bare specifiers in ESM, CJS and dynamic imports, not relative ones", () => {
    const source = [
      'import a from "alpha";',
      'import { b } from "@scope/beta/sub";',
      'export * from "./local.js";',
      'const g = require("gamma");',
      'const d = await import("delta");',
      'import "side-effect";',
    ].join("\n");
    expect(bareImports(source)).toEqual(["@scope/beta/sub", "alpha", "delta", "gamma", "side-effect"]);
  });

  it("does not read prose in strings as a specifier (a quote after the word from, across lines)", () => {
    const source = 'const a = "copied from ";\nawait store.remove(key);\nconst b = " but more";\nimport x from "real-dep";\n';
    expect(bareImports(source)).toEqual(["real-dep"]);
  });

  it("maps a specifier to its package", () => {
    expect(packageOf("@aws-sdk/client-s3/dist/x")).toBe("@aws-sdk/client-s3");
    expect(packageOf("p-limit")).toBe("p-limit");
    expect(packageOf("csv-parse/sync")).toBe("csv-parse");
  });
});

describe("verdaccio config", () => {
  it("keeps @mass-ingest/* local-only and proxies everything else", () => {
    const yaml = verdaccioConfig({ storage: "/s", htpasswd: "/h", localScopes: ["@mass-ingest/*"], uplink: "https://registry.npmjs.org/" });
    const local = yaml.slice(yaml.indexOf("'@mass-ingest/*':"), yaml.indexOf("'**':"));
    const rest = yaml.slice(yaml.indexOf("'**':"));
    expect(local).toContain("access: $all");
    expect(local).not.toContain("proxy");
    expect(rest).toContain("proxy: upstream");
    expect(yaml).toContain('url: "https://registry.npmjs.org/"');
  });
});
