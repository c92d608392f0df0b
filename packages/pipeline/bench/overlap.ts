/**
 * Benchmark: the overlapped pipeline vs the sequential flow used today (sync all, then build all, then publish all),
 * in one run, over fixture repositories on a loopback git server with the Moderne CLI stand-in (fixed build time).
 *
 *   node --import tsx bench/overlap.ts            # 40 repos, build 1000 ms, build concurrency 1
 *   BENCH_REPOS=20 BENCH_BUILD_MS=500 node --import tsx bench/overlap.ts
 *
 * Prints a JSON result and a markdown table row. Also measures our own per-repository overhead outside child
 * processes: (a) as the pipeline accounts it (wall - child time - queue waits) and (b) with a no-op CLI runner.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readRepos, toCsv, type RepoRow } from "@mass-ingest/partition";
import { startGitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startNginx } from "@mass-ingest/testkit/nginx";
import { writeFile, mkdir } from "node:fs/promises";
import { configureMod, ExecaModCli, runPipeline, type ModCli, type ModRunResult } from "../src/index.js";

const REPOS = Number(process.env.BENCH_REPOS ?? 40);
const BUILD_MS = Number(process.env.BENCH_BUILD_MS ?? 1000);
const BUILD_CONCURRENCY = Number(process.env.BENCH_BUILD_CONCURRENCY ?? 1);

async function rows(urls: string[]): Promise<RepoRow[]> {
  const csv = ["cloneUrl,branch", ...urls.map((u) => `${u},main`)].join("\n") + "\n";
  return (
    await readRepos(
      (async function* () {
        yield csv;
      })(),
      { mode: "strict" },
    )
  ).repos;
}

/** Today's flow: one directory per repository; sync (+ sync log) all, then build (+ build log) all, then publish all. */
async function sequential(cli: ModCli, repos: RepoRow[], dataDir: string): Promise<number> {
  const t0 = performance.now();
  const work = path.join(dataDir, "work");
  await mkdir(work, { recursive: true });
  const dirs = repos.map((r) => path.join(work, `row-${r.row}`));
  const syncZip = path.join(dataDir, "syncs.zip");
  const buildZip = path.join(dataDir, "log.zip");
  for (const [i, repo] of repos.entries()) {
    const csv = path.join(work, `row-${repo.row}.csv`);
    await writeFile(csv, toCsv([repo]));
    await cli.run(["git", "sync", "csv", dirs[i]!, csv, "--with-sources"]);
    await cli.run(["log", "syncs", "add", dirs[i]!, syncZip, "--last-sync"]);
  }
  for (const dir of dirs) await cli.run(["build", dir, "--no-download"], { timeoutMs: 2_700_000 });
  for (const dir of dirs) {
    await cli.run(["publish", dir]);
    await cli.run(["log", "builds", "add", dir, buildZip, "--last-build"]);
  }
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  return performance.now() - t0;
}

/** A CLI runner that starts no process: isolates the pipeline's own cost. */
class NoopCli implements ModCli {
  async run(args: readonly string[]): Promise<ModRunResult> {
    return { exitCode: 0, timedOut: false, aborted: false, durationMs: 0, commandLine: args.join(" "), outputTail: "" };
  }
}

async function main() {
  const git = await startGitServer();
  const nginx = await startNginx();
  const standIn = createModStandIn({ config: { buildMs: BUILD_MS } });
  const root = await mkdtemp(path.join(os.tmpdir(), "bench-overlap-"));
  try {
    const urls: string[] = [];
    for (let i = 0; i < REPOS; i++) {
      await git.createRepo(`bench/repo-${i}`, { files: { "pom.xml": `<project><artifactId>repo-${i}</artifactId></project>\n` } });
      urls.push(git.httpUrl(`bench/repo-${i}`));
    }
    const repos = await rows(urls);
    const cli = new ExecaModCli({ command: standIn.command, env: { ...process.env, ...standIn.env } });
    await configureMod(cli, { publish: { url: `${nginx.url}/lsts`, user: nginx.user, password: nginx.password } });

    const seqMs = await sequential(cli, repos, path.join(root, "sequential"));
    const pipeStart = performance.now();
    const { report } = await runPipeline({
      repos,
      cli,
      dataDir: path.join(root, "overlapped"),
      index: "all",
      publish: true,
      store: "maven",
      concurrency: { build: BUILD_CONCURRENCY },
    });
    const overlappedMs = performance.now() - pipeStart;
    if (report.totals.ok !== REPOS) throw new Error(`overlapped run: ${JSON.stringify(report.totals)}`);

    const noopStart = performance.now();
    const noop = await runPipeline({
      repos,
      cli: new NoopCli(),
      dataDir: path.join(root, "noop"),
      index: "all",
      publish: true,
      concurrency: { build: BUILD_CONCURRENCY },
    });
    const noopMs = performance.now() - noopStart;

    const result = {
      repos: REPOS,
      buildMs: BUILD_MS,
      concurrency: report.concurrency,
      cpus: os.cpus().length,
      sequentialMs: Math.round(seqMs),
      overlappedMs: Math.round(overlappedMs),
      ratio: Math.round((seqMs / overlappedMs) * 100) / 100,
      overheadMsPerRepoAccounted: report.overheadMsPerRepo,
      schedulingMsPerRepo: report.schedulingMsPerRepo,
      overheadMsPerRepoNoopCli: Math.round((noopMs / REPOS) * 100) / 100,
      noopTotals: noop.report.totals,
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `| ${REPOS} | ${BUILD_MS} ms | ${report.concurrency.sync}/${report.concurrency.build}/${report.concurrency.publish}/${report.concurrency.maxPending} | ${(seqMs / 1000).toFixed(1)} s | ${(overlappedMs / 1000).toFixed(1)} s | ${result.ratio}x | ${result.overheadMsPerRepoAccounted} ms | ${result.schedulingMsPerRepo} ms | ${result.overheadMsPerRepoNoopCli} ms |`,
    );
  } finally {
    standIn.cleanup();
    await Promise.all([git.stop(), nginx.stop()]);
    await rm(root, { recursive: true, force: true });
  }
}

await main();
