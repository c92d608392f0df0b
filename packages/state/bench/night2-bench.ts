/**
 * Night-2 scale benchmark: `npx tsx bench/night2-bench.ts [repos=10000] [changed=5] [submit|phases]`. Synthesizes a local store
 * through this package's own API (night 1 planned by `prepareRun` + `recordRun`, then one result record per
 * partition written with `writeResult`, pending), serves the remotes from the in-memory smart-HTTP server
 * (memory-git-server.mjs, its own process; `changed` % of repositories were built on another commit), then runs
 * night 2 in a fresh child process so its peak RSS and CPU are night 2's alone. "submit" (the default) runs it
 * as the chunker's submit does: `prepareRun` with `record` (one state read, one write). "phases" calls them separately:
 * fold (`foldPendingRuns`: read records + state.json read and write), state I/O (one more read+write of the folded
 * state), `prepareRun` (its ls-remote pass as it reports it; the rest is selection + plan + one state read+write),
 * and `recordRun` (manifest, selection record, pending mark). Prints wall time, CPU, peak RSS and the load average.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { foldPendingRuns, openStateStore, prepareRun, recordRun, type PartitionResult, type StateRow } from "../src/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SHA = "0123456789abcdef0123456789abcdef01234567"; // what memory-git-server.mjs answers for every repository
const OLD = "f".repeat(40);
const NIGHT1 = new Date("2026-11-30T00:00:00.000Z");
const NIGHT2 = new Date("2026-12-01T00:00:00.000Z");
const CSV = (rows: number) => ({ location: "repos.csv", rowCount: rows, sha256: "0".repeat(64) });
const CLI = "4.0.0";

const cpuS = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
};
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const rowsFor = (port: number, n: number): StateRow[] =>
  Array.from({ length: n }, (_, i) => ({ row: i + 1, cloneUrl: `http://127.0.0.1:${port}/org/repo-${i + 1}.git`, branch: "main" }));

/** Night 1 through the API: planned and recorded, then every partition's results written (ok, `changed` % on OLD). */
async function synthesize(root: string, port: number, n: number, changedPct: number): Promise<number> {
  const store = openStateStore(root);
  const rows = rowsFor(port, n);
  const prepared = await prepareRun(store, rows, { runId: "night-1", csv: CSV(n), cliVersion: CLI, now: NIGHT1 });
  await recordRun(store, prepared);
  const every = Math.max(1, Math.round(100 / changedPct));
  const partitions = prepared.manifest.partitions;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < partitions.length; i = next++) {
      const p = partitions[i]!;
      const result: PartitionResult = {
        runId: "night-1",
        partition: p.partition,
        updatedAt: "2026-11-30T02:00:00.000Z",
        repos: p.rows.map((r) => ({
          key: r.key,
          row: r.row,
          cloneUrl: rows[r.row - 1]!.cloneUrl,
          commit: r.row % every === 0 ? OLD : SHA,
          fingerprint: prepared.rows.get(r.row)!.fingerprint,
          outcome: "ok" as const,
          durations: { syncMs: 1000, buildMs: 60_000, publishMs: 2000 },
          finishedAt: "2026-11-30T02:00:00.000Z",
        })),
      };
      await store.writeResult(result);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  store.close();
  return partitions.length;
}

/** `process.memoryUsage()` now: RSS, heap used / total, external + array buffers. */
const memory = () => {
  const m = process.memoryUsage();
  return `rss ${mb(m.rss)}, heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)})`;
};

/**
 * A phase's wall time, CPU, the process's peak RSS when it ended (maxRSS only grows: the first phase that raises
 * it) and `process.memoryUsage()` at its end.
 */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpu: number; peak: string }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const peak = `peak RSS so far ${mb(process.resourceUsage().maxRSS * 1024)}; at the end: ${memory()}`;
  return { value, ms: performance.now() - t, cpu: cpuS(cpu), peak };
}

const loadavg = () =>
  `  loadavg ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;

/**
 * Night 2 as `submit` runs it: `prepareRun` with `record` (reads state.json once, folds night 1 in memory, asks,
 * plans, writes the manifest, the selection and state.json once, conditional on that read). State reads and writes
 * are counted at the backend.
 */
async function night2Submit(root: string, port: number, n: number): Promise<void> {
  const store = openStateStore(root);
  const io = { reads: 0, writes: 0 };
  const backend = store.backend as { read: typeof store.backend.read; write: typeof store.backend.write };
  const [read, write] = [backend.read.bind(backend), backend.write.bind(backend)];
  backend.read = (key, o) => ((io.reads += key === "state.json" ? 1 : 0), read(key, o));
  backend.write = (key, text, c, o) => ((io.writes += key === "state.json" ? 1 : 0), write(key, text, c, o));
  const rows = rowsFor(port, n);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  console.log(`  start: ${memory()}`);
  const prep = await timed(() =>
    prepareRun(store, rows, { runId: "night-2", csv: CSV(n), cliVersion: CLI, now: NIGHT2, lsRemote: { concurrency: 32 }, record: true }),
  );
  const p = prep.value;
  const totalMs = performance.now() - t0;
  const size = (await stat(path.join(root, "state.json"))).size;
  const lines = [
    `night 2 (submit), ${n} repositories: ${s(totalMs)} wall, CPU ${cpuS(cpu0).toFixed(2)} s, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
    `  prepareRun + record (state.json read, fold of night 1, ls-remote, select, plan, records, state.json write ${(size / 1048576).toFixed(1)} MB): ${s(prep.ms)}, CPU ${prep.cpu.toFixed(2)} s, ${prep.peak}`,
    `    ls-remote ${p.lsRemote.calls} calls (${p.lsRemote.failed} failed) ${s(p.lsRemote.ms)}; the rest ${s(prep.ms - p.lsRemote.ms)}`,
    `  selected ${p.selection.build.length} (changed ${p.selection.counts.changed}), ${p.manifest.partitions.length} partitions`,
    `  state.json: ${io.reads} read(s), ${io.writes} write(s)`,
    loadavg(),
  ];
  console.log(lines.join("\n"));
  store.close();
}

/** Night 2 in this (child) process, the phases separated: fold (written), state I/O, prepareRun, recordRun. */
async function night2Phases(root: string, port: number, n: number): Promise<void> {
  const store = openStateStore(root);
  const rows = rowsFor(port, n);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  console.log(`  start: ${memory()}`);
  const folded = await timed(() => foldPendingRuns(store, { now: NIGHT2 }));
  const io = await timed(() => store.updateState((st) => st));
  const prep = await timed(() =>
    prepareRun(store, rows, { runId: "night-2", csv: CSV(n), cliVersion: CLI, now: NIGHT2, lsRemote: { concurrency: 32 } }),
  );
  const rec = await timed(() => recordRun(store, prep.value));
  const totalMs = performance.now() - t0;
  const p = prep.value;
  const size = (await stat(path.join(root, "state.json"))).size;
  const lines = [
    `night 2 (phases), ${n} repositories: ${s(totalMs)} wall, CPU ${cpuS(cpu0).toFixed(2)} s, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
    `  fold of night 1 (${Object.keys(folded.value.repos).length} entries, incl. state.json read+write): ${s(folded.ms)}, CPU ${folded.cpu.toFixed(2)} s, ${folded.peak}`,
    `  state I/O (one read+write of state.json, ${(size / 1048576).toFixed(1)} MB): ${s(io.ms)}, CPU ${io.cpu.toFixed(2)} s, ${io.peak}`,
    `  prepareRun: ${s(prep.ms)}, CPU ${prep.cpu.toFixed(2)} s, ${prep.peak}; ls-remote ${p.lsRemote.calls} calls (${p.lsRemote.failed} failed) ${s(p.lsRemote.ms)}; ` +
      `select + plan + state read ${s(prep.ms - p.lsRemote.ms)}`,
    `  selected ${p.selection.build.length} (changed ${p.selection.counts.changed}), ${p.manifest.partitions.length} partitions`,
    `  recordRun (manifest, selection, pending; one state write): ${s(rec.ms)}, CPU ${rec.cpu.toFixed(2)} s, ${rec.peak}`,
    loadavg(),
  ];
  console.log(lines.join("\n"));
  store.close();
}

function child(args: string[]): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: "inherit" });
}

async function main(): Promise<void> {
  if (process.argv[2] === "--night2") {
    const night2 = process.argv[6] === "phases" ? night2Phases : night2Submit;
    await night2(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
    return;
  }
  const n = Number(process.argv[2] ?? 10_000);
  const changed = Number(process.argv[3] ?? 5);
  const mode = process.argv[4] ?? "submit";
  const server = spawn(process.execPath, [path.join(here, "memory-git-server.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => server.stdout!.once("data", (d: Buffer) => resolve(Number(String(d).trim()))));
  const root = await mkdtemp(path.join(os.tmpdir(), "night2-bench-"));
  try {
    const t = performance.now();
    const partitions = await synthesize(root, port, n, changed);
    console.log(`synthesized night 1: ${n} repositories, ${partitions} result records pending, in ${s(performance.now() - t)}`);
    const c = child(["--night2", root, String(port), String(n), mode]);
    const code = await new Promise<number | null>((resolve) => c.on("exit", resolve));
    if (code !== 0) throw new Error(`night 2 exited with ${code}`);
  } finally {
    server.kill();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
