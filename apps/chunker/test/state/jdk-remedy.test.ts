// The toolchain remedy across nights, end to end: the real processor (built) and the strict stand-in. A build that
// needs JDK 21 fails on the row's JDK 17, is built again with 21 in the same run (ok), and the state keeps the
// remedy; the next night plans the row with it and builds it once, with JDK 21 from the start. When the row sets a
// JDK of its own, the remedy found under the old one no longer applies.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStateStore } from "@mass-ingest/state";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chunker } from "./helpers.js";
import { builtGroups } from "./nights.js";

const processorMain = fileURLToPath(new URL("../../../processor/dist/main.js", import.meta.url));
const processor = `${process.execPath} ${processorMain}`;
let git: GitServer;
let mod: ModStandIn;
let dir: string;
const names = ["team/j1", "team/j2"];

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  for (const n of names) await git.createRepo(n, { files: { "pom.xml": "<project/>\n" } });
  dir = await mkdtemp(join(tmpdir(), "chunker-jdk-remedy-"));
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const csvWith = async (java: string) => {
  const csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch,java", ...names.map((n) => `${git.httpUrl(n)},main,${java}`)].join("\n") + "\n");
  return csv;
};
const machineJdks = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => k.startsWith("JAVA_HOME"))
    .map((k) => [k, undefined]),
);
const env = (dataDir: string) => ({
  ...machineJdks,
  ...mod.env,
  MOD_CLI: mod.command,
  DATA_DIR: dataDir,
  PUBLISH_URL: undefined,
  JAVA_HOME_17_X64: "/usr/lib/jvm/temurin-17-jdk",
  JAVA_HOME_21_X64: "/usr/lib/jvm/temurin-21-jdk",
});

async function night(csv: string, dataDir: string, runId: string) {
  mod.reset();
  const r = await chunker(["submit", csv, "--executor", "local", "--run-id", runId, "--processor", processor, "--json"], env(dataDir));
  // the build calls since the last reset, by work directory: row-N, and row-N-jdkM for a retry with another JDK
  return { ...r, builds: await builtGroups(mod, csv) };
}

/** The result record entry of `row` in run `runId` (whichever partition it was in). */
async function resultOf(dataDir: string, runId: string, row: number) {
  const results = join(dataDir, "state", "runs", runId, "results");
  for (const file of await readdir(results)) {
    const record = JSON.parse(await readFile(join(results, file), "utf8")) as { repos: Array<{ row: number }> };
    const entry = record.repos.find((r) => r.row === row);
    if (entry) return entry;
  }
  return undefined;
}

/** The state's remedies by repository, once the finished runs are folded in (`status` folds them). */
async function remedies(dataDir: string) {
  expect((await chunker(["status", "latest", "--state", join(dataDir, "state")], {})).code).toBe(0);
  const store = openStateStore(join(dataDir, "state"));
  const state = await store.readState();
  store.close();
  return Object.fromEntries(Object.entries(state.repos).map(([k, e]) => [k.includes("j2") ? "j2" : "j1", e.remedy]));
}

it("retries with the JDK the error names, keeps the remedy for the next night, and drops it when the row sets its own", async () => {
  const dataDir = join(dir, "data");
  mod.setConfig({ needsJdk: { "team/j2": "21" } });
  const csv = await csvWith("17");
  const first = await night(csv, dataDir, "n1");
  expect(first.code, first.stderr).toBe(0);
  expect(first.builds).toEqual(["row-1", "row-2", "row-2-jdk21"]);
  const record = await resultOf(dataDir, "n1", 2);
  expect(record).toMatchObject({ outcome: "ok", remedy: { jdk: "21", rowJava: "17" } });

  // The next night (a new commit): planned with the remedy, built once with JDK 21.
  await git.commit("team/j2", { "a.txt": "changed" });
  const second = await night(csv, dataDir, "n2");
  expect(second.code, second.stderr).toBe(0);
  expect(second.builds).toEqual(["row-2"]);
  const manifest = JSON.parse(await readFile(join(dataDir, "state", "runs", "n2", "manifest.json"), "utf8"));
  expect(manifest.partitions.flatMap((p: { rows: unknown[] }) => p.rows)).toEqual([
    expect.objectContaining({ row: 2, remedy: { jdk: "21", rowJava: "17" } }),
  ]);
  expect(await resultOf(dataDir, "n2", 2)).toMatchObject({ outcome: "ok", remedy: { jdk: "21", rowJava: "17" } });
  expect(await remedies(dataDir)).toEqual({ j1: undefined, j2: { jdk: "21", rowJava: "17" } });

  // The row sets its own JDK (11): the old remedy does not apply; the build fails on 11 and is remedied anew.
  const own = await night(await csvWith("11"), dataDir, "n3");
  expect(own.code, own.stderr).toBe(0);
  expect(own.builds).toEqual(["row-1", "row-2", "row-2-jdk21"]);
  expect((await remedies(dataDir)).j2).toEqual({ jdk: "21", rowJava: "11" });
});
