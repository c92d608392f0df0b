/**
 * Cost of spawning `git ls-remote` as this process's heap grows, with and without the spawn helper:
 * `node --max-old-space-size=4096 --import tsx bench/fork-bench.ts [heapMB=1024] [calls=300] [concurrency=32]`.
 * Targets are git:// URLs on a loopback `git daemon`; the heap is grown with live objects (kept referenced)
 * before each pass. Prints one line per (heap, mode): wall time, calls/s, this process's CPU per call.
 */
import { startGitServer } from "@mass-ingest/testkit";
import { lsRemote } from "../src/index.js";

const heapMb = Number(process.argv[2] ?? 1024);
const calls = Number(process.argv[3] ?? 300);
const concurrency = Number(process.argv[4] ?? 32);
const live: unknown[] = [];

/** About `mb` MB of live heap: small objects with a string each (what a state map looks like). */
function grow(mb: number): void {
  const target = mb * 1024 * 1024;
  while (process.memoryUsage().heapUsed < target) {
    const chunk = Array.from({ length: 100_000 }, (_, i) => ({
      key: `github.com/org/repo-${i}-${live.length}`,
      commit: i,
      at: Date.now(),
    }));
    live.push(chunk);
  }
}

async function pass(targets: { key: string; url: string }[], gitHelper: boolean, label: string): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const out = await lsRemote(targets, { concurrency, gitHelper });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const ok = [...out.values()].filter((r) => r.ok).length;
  const heap = (process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0);
  const cpuMs = (used.user + used.system) / 1000 / calls;
  console.log(
    `${label}: heap ${heap} MB, ${gitHelper ? "helper" : "spawn here"}: ${seconds.toFixed(2)} s, ${(calls / seconds).toFixed(0)} calls/s, ` +
      `${cpuMs.toFixed(2)} ms our CPU per call, ${ok}/${calls} ok`,
  );
}

const server = await startGitServer();
try {
  const names = Array.from({ length: 10 }, (_, i) => `org/repo${i}`);
  for (const n of names) await server.createRepo(n);
  const targets = Array.from({ length: calls }, (_, i) => ({ key: `k${i}`, url: server.gitUrl(names[i % names.length] as string) }));
  await lsRemote(targets.slice(0, 10), { gitHelper: false }); // warm up
  for (const [label, mb] of [
    ["small heap", 0],
    [`heap grown to ${heapMb} MB`, heapMb],
  ] as const) {
    grow(mb);
    await pass(targets, false, label);
    await pass(targets, true, label);
    await pass(targets, false, label);
    await pass(targets, true, label);
  }
} finally {
  await server.stop();
}
