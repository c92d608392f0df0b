import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findWorkspaceRoot, resolveDataDir } from "../src/data-dir.js";

let root: string;
let sub: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "data-dir-"));
  sub = path.join(root, "apps", "chunker");
  await mkdir(sub, { recursive: true });
  await writeFile(path.join(root, "pnpm-workspace.yaml"), "packages: []\n");
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it("defaults to .data in the workspace root, from anywhere inside it", () => {
  expect(findWorkspaceRoot(sub)).toBe(root);
  expect(resolveDataDir(undefined, {}, sub)).toBe(path.join(root, ".data"));
  expect(resolveDataDir(undefined, {}, root)).toBe(path.join(root, ".data"));
  expect(resolveDataDir(undefined, { DATA_DIR: "  " }, sub)).toBe(path.join(root, ".data"));
});

it("resolves DATA_DIR and --data-dir against the current directory, the flag first", () => {
  expect(resolveDataDir(undefined, { DATA_DIR: "work" }, sub)).toBe(path.join(sub, "work"));
  expect(resolveDataDir("flagged", { DATA_DIR: "work" }, sub)).toBe(path.join(sub, "flagged"));
  expect(resolveDataDir(undefined, { DATA_DIR: "/abs/dir" }, sub)).toBe("/abs/dir");
});

it("outside a workspace: .data in the current directory", () => {
  expect(resolveDataDir(undefined, {}, tmpdir())).toBe(path.join(tmpdir(), ".data"));
});
