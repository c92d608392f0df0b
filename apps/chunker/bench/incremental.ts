/**
 * Benchmark: a second nightly run of N repositories (default 2,000) with 5 % changed, local executor, the real
 * processor and the Moderne CLI stand-in, repositories on a loopback `git daemon`.
 *
 *   npx tsx bench/incremental.ts [repos] [changedPercent]      (from apps/chunker; `npx tsup` in apps/processor first)
 *
 * Fast set-up: one seed repository is created with a real commit, then copied as a bare repository N times (the
 * daemon serves every folder under its base path); "changed" repositories get one new commit each, written
 * straight into the bare repository (`git commit-tree` + `git update-ref`). Checks that the second run built exactly
 * the changed repositories (the run's result records, and the stand-in's build calls), and reports both wall times
 * and the ls-remote pass's share of the second.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStateStore } from "@mass-ingest/state";
import { startGitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn } from "@mass-ingest/testkit/mod-standin";
import { runProcess } from "@mass-ingest/testkit/process";

const repos = Number(process.argv[2] ?? 2000);
const changedPercent = Number(process.argv[3] ?? 5);
const appDir = fileURLToPath(new URL("..", import.meta.url));
const processorMain = fileURLToPath(new URL("../../processor/dist/main.js", import.meta.url));
const name = (i: number) => `bench/r${String(i).padStart(5, "0")}`;

/** One new commit on main, written into the bare repository directly. */
function commitInto(bare: string, i: number): void {
  const git = (...args: string[]) =>
    execFileSync("git", ["--git-dir", bare, ...args], {
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@x", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@x" },
    }).trim();
  const commit = git("commit-tree", "HEAD^{tree}", "-p", "HEAD", "-m", `change ${i}`);
  git("update-ref", "refs/heads/main", commit);
}

async function night(
  csv: string,
  runId: string,
  env: Record<string, string | undefined>,
): Promise<{ ms: number; lsRemoteMs: number; code: number | null; stderr: string }> {
  const started = performance.now();
  const r = await runProcess(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/main.ts",
      "submit",
      csv,
      "--executor",
      "local",
      "--parallel",
      "2",
      "--run-id",
      runId,
      "--json",
      "--processor",
      `${process.execPath} ${processorMain}`,
    ],
    { cwd: appDir, env },
  );
  const ms = performance.now() - started;
  const line = r.stderr.split("\n").find((l) => l.includes('"lsRemote"'));
  const lsRemoteMs = line ? (JSON.parse(line) as { lsRemote: { ms: number } }).lsRemote.ms : 0;
  return { ms, lsRemoteMs, code: r.code, stderr: r.stderr };
}

const git = await startGitServer();
const mod = createModStandIn();
const dir = await mkdtemp(join(tmpdir(), "bench-incremental-"));
try {
  const setupStarted = performance.now();
  await git.createRepo("seed/base", { files: { "pom.xml": "<project/>\n" } });
  const seed = join(git.root, "public", "seed/base.git");
  for (let i = 0; i < repos; i++) await cp(seed, join(git.root, "public", `${name(i)}.git`), { recursive: true });
  const csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", ...Array.from({ length: repos }, (_, i) => `${git.gitUrl(name(i))},main`)].join("\n") + "\n");
  console.log(`set-up: ${repos} repositories in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

  const env = {
    ...process.env,
    ...mod.env,
    MOD_CLI: mod.command,
    DATA_DIR: join(dir, "data"),
    BATCH_SIZE: "10",
    PUBLISH_URL: undefined,
    STATE_URL: undefined,
    LOG_LEVEL: "info",
  };
  const first = await night(csv, "night-1", env);
  if (first.code !== 0) throw new Error(`first night exited ${first.code}:\n${first.stderr.slice(-3000)}`);
  const buildsBefore = (await readFile(join(mod.home, "calls.jsonl"), "utf8")).split("\n").filter((l) => l.includes('"build"')).length;

  const step = Math.round(100 / changedPercent);
  const changed = Array.from({ length: repos }, (_, i) => i).filter((i) => i % step === 0);
  for (const i of changed) commitInto(join(git.root, "public", `${name(i)}.git`), i);

  const second = await night(csv, "night-2", env);
  if (second.code !== 0) throw new Error(`second night exited ${second.code}:\n${second.stderr.slice(-3000)}`);
  const store = openStateStore(join(dir, "data", "state"));
  const results = await store.readResults("night-2");
  store.close();
  const built = results.flatMap((r) => r.repos.filter((e) => e.outcome === "ok").map((e) => e.row - 1)).sort((a, b) => a - b);
  const buildsAfter = (await readFile(join(mod.home, "calls.jsonl"), "utf8")).split("\n").filter((l) => l.includes('"build"')).length;
  const exact = JSON.stringify(built) === JSON.stringify(changed);
  console.log(`night 1 (all ${repos} built): ${(first.ms / 1000).toFixed(1)} s`);
  console.log(
    `night 2 (${changed.length} changed): ${(second.ms / 1000).toFixed(1)} s = ${((100 * second.ms) / first.ms).toFixed(1)} % of night 1; ls-remote pass ${(second.lsRemoteMs / 1000).toFixed(1)} s = ${((100 * second.lsRemoteMs) / second.ms).toFixed(0)} % of night 2`,
  );
  console.log(
    `built on night 2: ${built.length} repositories, equal to the changed ones: ${exact}; stand-in build calls on night 2: ${buildsAfter - buildsBefore}`,
  );
  if (!exact) process.exitCode = 1;
} finally {
  mod.cleanup();
  await git.stop();
  await rm(dir, { recursive: true, force: true });
}
