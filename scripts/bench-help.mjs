#!/usr/bin/env node
// How long each app's `--help` takes from the built bundle (apps/*/dist/main.js), and which network connections it
// opens (NODE_DEBUG=net). Build first: `nx run-many -t build -p chunker processor doctor-app`.
// Usage: node scripts/bench-help.mjs [runs=10]. Prints one Markdown table row per command (docs/benchmarks.md).
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 10);
const commands = [
  ["chunker", ["--help"]],
  ["chunker", ["submit", "--help"]],
  ["chunker", ["report", "--help"]],
  ["processor", ["--help"]],
  ["doctor", ["--help"]],
  ["doctor", ["doctor", "--help"]],
];
// No AWS Batch job, no metadata switch: what a workstation sees.
const env = { ...process.env, AWS_BATCH_JOB_ID: undefined, AWS_EC2_METADATA_DISABLED: undefined };

function once(main, args, extraEnv = {}) {
  const start = performance.now();
  const r = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", env: { ...env, ...extraEnv } });
  if (r.status !== 0) throw new Error(`${main} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { ms: performance.now() - start, stderr: r.stderr };
}

console.log(`| command | median | min | max | network connections |`);
console.log(`| --- | --- | --- | --- | --- |`);
for (const [app, args] of commands) {
  const main = path.join(root, "apps", app, "dist", "main.js");
  once(main, args); // warm the file cache
  const times = Array.from({ length: runs }, () => once(main, args).ms).sort((a, b) => a - b);
  const traced = once(main, args, { NODE_DEBUG: "net" }).stderr;
  const hosts = [...traced.matchAll(/host: '([^']+)'[\s\S]*?port: (\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const name = app === "doctor" ? "mass-ingest" : `mass-ingest-${app}`;
  console.log(
    `| \`${name} ${args.join(" ")}\` | ${s(times[Math.floor(times.length / 2)])} | ${s(times[0])} | ${s(times.at(-1))} | ${hosts.length === 0 ? "none" : hosts.join(", ")} |`,
  );
}
