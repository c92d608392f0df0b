/**
 * Scale benchmark of change detection and the fold. `npx tsx bench/scale-bench.ts ls-remote [repos=10000] [gitCalls=1000]`:
 * the in-process HTTP pass over `repos` repositories of a smart-HTTP server answering from memory (its own
 * process), against a plain `xargs -P 32 git ls-remote` loop and the spawn path (`http: false`) over `gitCalls`
 * of them, with wall time and this process's CPU per repository. `npx tsx bench/scale-bench.ts fold [repos=10000]`:
 * a local store with a first night of repos/4 result records (4 repositories each), folded by `foldPendingRuns`;
 * wall time, peak RSS, state.json size and the update's read+write of it.
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { foldPendingRuns, lsRemote, openStateStore } from "../src/index.js";
import { serializeManifest, serializeResult, serializeState } from "../src/parse.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const mode = process.argv[2] ?? "ls-remote";
const repos = Number(process.argv[3] ?? 10_000);

const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

async function memoryServer(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(here, "memory-git-server.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(Number(String(d).trim()))));
  return { port, stop: () => child.kill() };
}

async function benchLsRemote(gitCalls: number): Promise<void> {
  const server = await memoryServer();
  try {
    const url = (i: number) => `http://127.0.0.1:${server.port}/org/repo-${i}.git`;
    const targets = Array.from({ length: repos }, (_, i) => ({ key: `k${i}`, url: url(i) }));
    await lsRemote(targets.slice(0, 100)); // warm up
    let cpu = process.cpuUsage();
    let t = performance.now();
    const out = await lsRemote(targets, { concurrency: 32 });
    const httpMs = performance.now() - t;
    const httpCpu = cpuMs(cpu);
    const ok = [...out.values()].filter((h) => h.ok).length;
    console.log(
      `in-process HTTP: ${repos} repositories in ${(httpMs / 1000).toFixed(2)} s (${(repos / (httpMs / 1000)).toFixed(0)}/s), client CPU ${(httpCpu / repos).toFixed(3)} ms per repository, ${ok} ok`,
    );
    const few = targets.slice(0, gitCalls);
    cpu = process.cpuUsage();
    t = performance.now();
    await lsRemote(few, { concurrency: 32, http: false });
    const spawnMs = performance.now() - t;
    console.log(
      `spawn path (http: false): ${gitCalls} in ${(spawnMs / 1000).toFixed(2)} s (${(gitCalls / (spawnMs / 1000)).toFixed(0)}/s), this process's CPU ${(cpuMs(cpu) / gitCalls).toFixed(3)} ms per repository (git's own not counted)`,
    );
    t = performance.now();
    await promisify(execFile)("bash", [
      "-c",
      `seq 0 ${gitCalls - 1} | xargs -P 32 -I{} git ls-remote ${url(0).replace("repo-0", "repo-{}")} HEAD > /dev/null`,
    ]);
    const loopMs = performance.now() - t;
    const loopRate = gitCalls / (loopMs / 1000);
    console.log(`plain xargs -P 32 git ls-remote: ${gitCalls} in ${(loopMs / 1000).toFixed(2)} s (${loopRate.toFixed(0)}/s)`);
    console.log(
      `speed-up over the plain loop: ${(repos / (httpMs / 1000) / loopRate).toFixed(1)}x; loadavg ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    server.stop();
  }
}

/** A first night of repos/4 result records written straight to disk (4 repositories each), pending in state.json. */
async function synthesize(root: string): Promise<number> {
  const runDir = path.join(root, "runs", "night-1");
  await mkdir(path.join(runDir, "results"), { recursive: true });
  const records = Math.ceil(repos / 4);
  const partitions = [];
  for (let p = 1; p <= records; p++) {
    const entries = [];
    for (let i = 0; i < 4 && (p - 1) * 4 + i < repos; i++) {
      const row = (p - 1) * 4 + i + 1;
      entries.push({
        key: `https://git.example.com/org/repo-${row}.git#main`,
        row,
        cloneUrl: `https://git.example.com/org/repo-${row}.git`,
        commit: "a".repeat(40),
        fingerprint: "0123456789abcdef",
        outcome: "ok" as const,
        durations: { syncMs: 1000, buildMs: 60_000, publishMs: 2000 },
        finishedAt: "2026-11-30T02:00:00.000Z",
        logs: `s3://logs/night-1/${row}.log`,
      });
    }
    partitions.push({ partition: p, predictedMs: 1, rows: entries.map((e) => ({ row: e.row, key: e.key, predictedMs: 1 })) });
    await writeFile(
      path.join(runDir, "results", `p${p}.json`),
      serializeResult({ runId: "night-1", partition: p, updatedAt: "2026-11-30T02:00:00.000Z", repos: entries }),
    );
  }
  const csv = { location: "repos.csv", rowCount: repos, sha256: "0".repeat(64) };
  await writeFile(
    path.join(runDir, "manifest.json"),
    serializeManifest({
      runId: "night-1",
      csv,
      createdAt: "2026-11-30T00:00:00.000Z",
      timeBudgetMs: 1,
      predictedMakespanMs: 1,
      partitions,
    }),
  );
  const state = { updatedAt: "2026-11-29T00:00:00.000Z", repos: {}, unreadable: {}, pendingRuns: ["night-1"] };
  await writeFile(path.join(root, "state.json"), serializeState(state));
  return records;
}

async function benchFold(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), "scale-fold-"));
  try {
    const records = await synthesize(root);
    const rssBefore = process.memoryUsage().rss;
    const store = openStateStore(root);
    const cpu = process.cpuUsage();
    let t = performance.now();
    const state = await foldPendingRuns(store, { now: new Date("2026-11-30T03:00:00.000Z") });
    const foldMs = performance.now() - t;
    const size = (await stat(path.join(root, "state.json"))).size;
    t = performance.now();
    await store.updateState((s) => s);
    const ioMs = performance.now() - t;
    console.log(
      `fold: ${records} records, ${Object.keys(state.repos).length} repositories in ${(foldMs / 1000).toFixed(2)} s (CPU ${(cpuMs(cpu) / 1000).toFixed(2)} s), ` +
        `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (${(rssBefore / 1048576).toFixed(0)} MB before); ` +
        `state.json ${(size / 1048576).toFixed(1)} MB, read+write ${ioMs.toFixed(0)} ms; open-files limit of this shell applies; loadavg ${os.loadavg()[0]!.toFixed(2)}`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (mode === "fold") await benchFold();
else await benchLsRemote(Number(process.argv[4] ?? 1000));
