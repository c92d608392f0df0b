// Work directories are keyed by repository, not by row (issue 19 item 1): without PUBLISH_URL the LSTs stay in the
// work directories, so a row inserted at the top of repos.csv must not move another repository into a folder that
// holds LSTs the state calls unchanged. Folders of repositories that left the csv are removed, nothing else.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runProcessorChild } from "./helpers.js";

let git: GitServer;
let mod: ModStandIn;
let dir: string;

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  for (const n of ["keyed/a", "keyed/b", "keyed/new"]) await git.createRepo(n);
  dir = await mkdtemp(path.join(os.tmpdir(), "processor-workdirs-"));
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = (dataDir: string) => ({ PATH: process.env.PATH, HOME: process.env.HOME, ...mod.env, MOD_CLI: mod.command, DATA_DIR: dataDir });
const writeCsv = (file: string, names: string[]) =>
  writeFile(file, ["cloneUrl,branch", ...names.map((n) => `${git.httpUrl(n)},main`)].join("\n") + "\n");

/** Every LST jar under the work root, as `folder: what lst.json says it holds` (the stand-in writes the repository). */
async function lsts(workRoot: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const folder of await readdir(workRoot, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    const files = (await readdir(path.join(workRoot, folder.name), { recursive: true })).filter((f) => f.endsWith("-ast.jar"));
    out[folder.name] = files.map((f) => path.basename(f).replace(/-[^-]+-ast\.jar$/, "")).sort();
  }
  return out;
}

it("a row inserted at the top between two runs leaves every repository's LST in its own folder", async () => {
  const csv = path.join(dir, "repos.csv");
  const dataDir = path.join(dir, "data");
  const workRoot = path.join(dataDir, "work");
  await writeCsv(csv, ["keyed/a", "keyed/b"]);
  mod.reset();
  const first = await runProcessorChild([csv], env(dataDir));
  expect(first.code, first.stderr).toBe(0);
  const before = await lsts(workRoot);
  expect(Object.values(before).sort()).toEqual([["a"], ["b"]]);
  const folderOf = (repo: string, map: Record<string, string[]>) => Object.keys(map).find((k) => map[k]!.includes(repo));
  expect(folderOf("a", before)).toMatch(/-keyed-a-main-[0-9a-f]{10}$/);
  const jarsOfA = await readdir(path.join(workRoot, folderOf("a", before)!), { recursive: true });

  // keyed/new is row 1 now: with folders named by row it would be synced into a's folder and a's LST lost
  await writeCsv(csv, ["keyed/new", "keyed/a", "keyed/b"]);
  mod.reset();
  const second = await runProcessorChild([csv], env(dataDir));
  expect(second.code, second.stderr).toBe(0);
  expect(second.stderr).toContain("1 to build, 2 unchanged");
  const after = await lsts(workRoot);
  expect(Object.values(after).sort()).toEqual([["a"], ["b"], ["new"]]);
  expect(folderOf("a", after)).toBe(folderOf("a", before));
  expect(folderOf("b", after)).toBe(folderOf("b", before));
  expect(await readdir(path.join(workRoot, folderOf("a", after)!), { recursive: true })).toEqual(jarsOfA);
  // the summary names the folder the one built repository's LST is in
  expect(second.stdout).toContain(`LSTs kept in ${path.join(workRoot, folderOf("new", after)!)}`);
  const report = JSON.parse(await readFile(second.stdout.match(/Report: (\S+)/)![1]!, "utf8"));
  expect(report.workRoot).toBe(workRoot);

  // b leaves the csv: its folder goes, a planted folder without a keys file and a symlink's target stay
  await mkdir(path.join(dir, "outside"));
  await writeFile(path.join(dir, "outside", "keep.txt"), "x");
  await symlink(path.join(dir, "outside"), path.join(workRoot, folderOf("b", after)!, "link"));
  await mkdir(path.join(workRoot, "row-7"));
  await writeCsv(csv, ["keyed/new", "keyed/a"]);
  mod.reset();
  const third = await runProcessorChild([csv], env(dataDir));
  expect(third.code, third.stderr).toBe(0);
  expect(third.stdout).toContain("nothing to build");
  expect(third.stderr).toContain("removed 1 work directory of repositories no longer in the csv");
  const left = await lsts(workRoot);
  expect(Object.values(left).sort()).toEqual([[], ["a"], ["new"]]);
  expect(existsSync(path.join(workRoot, "row-7"))).toBe(true);
  expect(existsSync(`${path.join(workRoot, folderOf("b", after)!)}.keys`)).toBe(false);
  expect(existsSync(path.join(dir, "outside", "keep.txt"))).toBe(true);
});
