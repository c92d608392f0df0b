// The local executor with a state store, end to end: the real processor (built: `npx tsup` in apps/processor) runs
// each planned partition with --plan and its array index, the Moderne CLI stand-in records what it built, the
// repositories on a loopback git server get new commits between nights.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { runProcess, startProcess } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appDir, chunker } from "./helpers.js";

const processorMain = fileURLToPath(new URL("../../../processor/dist/main.js", import.meta.url));
let git: GitServer;
let mod: ModStandIn;
let dir: string;
let csv: string;
const names = Array.from({ length: 6 }, (_, i) => `team/l${i + 1}`);

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  for (const n of names) await git.createRepo(n, { files: { "pom.xml": "<project/>\n" } });
  dir = await mkdtemp(join(tmpdir(), "chunker-local-state-"));
  csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", ...names.map((n) => `${git.httpUrl(n)},main`)].join("\n") + "\n");
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = (dataDir: string) => ({
  ...mod.env,
  MOD_CLI: mod.command,
  DATA_DIR: dataDir,
  PUBLISH_URL: undefined,
  BUILD_CONCURRENCY: "1",
  SYNC_CONCURRENCY: "1",
});
const processor = `${process.execPath} ${processorMain}`;

/** The rows the stand-in built since the last reset (one repository per call, in a folder named by it: team/lN is row N). */
async function builtRows(): Promise<number[]> {
  const calls = await mod.calls();
  return calls
    .filter((c) => c.argv[0] === "build" && !c.argv.includes("--help")) // not the capability probe
    .map((c) => Number(/team-l(\d+)-main-/.exec(c.argv[1] ?? "")?.[1]))
    .sort((a, b) => a - b);
}

async function night(dataDir: string, runId: string, extra: string[] = []) {
  mod.reset();
  const r = await chunker(
    ["submit", csv, "--executor", "local", "--run-id", runId, "--processor", processor, "--partition-size", "2", "--json", ...extra],
    env(dataDir),
  );
  return { ...r, built: await builtRows() };
}

describe("submit --executor local with the default state store (<DATA_DIR>/state)", () => {
  it("retry builds only what failed; the next night exactly the changed and the previously failed ones; then nothing; --full all", async () => {
    const dataDir = join(dir, "data-a");
    mod.setConfig({ failBuild: ["team/l3"] });
    const first = await night(dataDir, "n1");
    expect(first.code, first.stderr).toBe(1);
    expect(first.built).toEqual([1, 2, 3, 4, 5, 6]);
    expect(existsSync(join(dataDir, "state", "runs", "n1", "manifest.json"))).toBe(true);
    // retry: only the repository that did not finish ok, as a run of its own (it fails again)
    mod.reset();
    const retry = await chunker(
      ["retry", "n1", "--state", join(dataDir, "state"), "--executor", "local", "--processor", processor, "--run-id", "n1-retry"],
      env(dataDir),
    );
    expect(retry.code, retry.stderr).toBe(1);
    expect(await builtRows()).toEqual([3]);
    mod.setConfig({});
    await git.commit("team/l5", { "a.txt": "changed" });
    const second = await night(dataDir, "n2");
    expect(second.code, second.stderr).toBe(0);
    expect(second.built).toEqual([3, 5]);
    const third = await night(dataDir, "n3");
    expect(third.code, third.stderr).toBe(0);
    expect(third.built).toEqual([]);
    expect(third.stdout).toContain('"partitions": 0');
    const full = await night(dataDir, "n4", ["--full"]);
    expect(full.code, full.stderr).toBe(0);
    expect(full.built).toEqual([1, 2, 3, 4, 5, 6]);
    const status = await chunker(["status", "n2", "--state", join(dataDir, "state"), "--json"], {});
    expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ planned: 2, ok: 2, failed: 0, unchanged: 4, notStarted: 0 })]);
  });

  it("a run stopped mid-partition (SIGTERM) and started again with the same run id does not rebuild what finished", async () => {
    const dataDir = join(dir, "data-b");
    mod.reset();
    mod.setConfig({ buildMsByRepo: { "team/l4": 600_000 } });
    const args = [
      "--import",
      "tsx",
      "src/main.ts",
      "submit",
      csv,
      "--executor",
      "local",
      "--run-id",
      "r1",
      "--processor",
      processor,
      "--partition-size",
      "6",
      "--time-budget",
      "10h",
      "--parallel",
      "1",
    ];
    const running = startProcess(process.execPath, args, { cwd: appDir, env: { ...process.env, ...env(dataDir) } });
    const record = join(dataDir, "state", "runs", "r1", "results", "p1.json");
    for (;;) {
      const entries = existsSync(record) ? (JSON.parse(await readFile(record, "utf8")) as { repos: unknown[] }).repos.length : 0;
      if (entries >= 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    running.child.kill("SIGTERM"); // as AWS Batch stops a job (Spot reclaim): the chunker stops its processors
    await running.done;
    mod.setConfig({});
    const before = await builtRows();
    expect(before.slice(0, 3)).toEqual([1, 2, 3]);
    mod.reset();
    const again = await runProcess(process.execPath, args, { cwd: appDir, env: { ...process.env, ...env(dataDir) } });
    expect(again.code, again.stderr).toBe(0);
    expect(await builtRows()).toEqual([4, 5, 6]);
  });

  it("the processor refuses a manifest whose csv changed", async () => {
    const dataDir = join(dir, "data-c");
    const changedCsv = join(dir, "changed.csv");
    await writeFile(changedCsv, await readFile(csv, "utf8"));
    // a processor that starts and fails at once: the run's manifest is recorded, nothing is built
    const recorded = await chunker(
      ["submit", changedCsv, "--executor", "local", "--run-id", "c1", "--processor", "/bin/false"],
      env(dataDir),
    );
    expect(recorded.code, recorded.stderr).toBe(1);
    await writeFile(changedCsv, (await readFile(csv, "utf8")) + `${git.httpUrl("team/extra")},main\n`);
    const manifest = join(dataDir, "state", "runs", "c1", "manifest.json");
    const r = await runProcess(process.execPath, [processorMain, changedCsv, "--plan", manifest], {
      env: { ...process.env, ...env(dataDir), AWS_BATCH_JOB_ARRAY_INDEX: "0" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("PLAN_CSV_CHANGED");
  });
});
