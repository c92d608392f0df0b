/**
 * Throughput of the ls-remote pass against a loopback git server (smart HTTP through `git http-backend`):
 * `npx tsx bench/ls-remote-bench.ts [calls] [concurrency]` (defaults 500 32). Real hosts add their network round
 * trips; this measures what the pass itself costs (process start, protocol, parsing).
 */
import { startGitServer } from "@mass-ingest/testkit";
import { lsRemote } from "../src/index.js";

const calls = Number(process.argv[2] ?? 500);
const concurrency = Number(process.argv[3] ?? 32);
const server = await startGitServer({ daemon: false });
try {
  const names = Array.from({ length: 20 }, (_, i) => `org/repo${i}`);
  for (const n of names) await server.createRepo(n);
  const targets = Array.from({ length: calls }, (_, i) => ({ key: `k${i}`, url: server.httpUrl(names[i % names.length] as string) }));
  const started = performance.now();
  const out = await lsRemote(targets, { concurrency });
  const seconds = (performance.now() - started) / 1000;
  const ok = [...out.values()].filter((r) => r.ok).length;
  console.log(
    `${calls} ls-remote calls, concurrency ${concurrency}: ${seconds.toFixed(1)} s (${(calls / seconds).toFixed(0)} calls/s), ${ok} ok`,
  );
} finally {
  await server.stop();
}
