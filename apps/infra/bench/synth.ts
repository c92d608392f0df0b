/**
 * How long synthesizing takes: validating a config, building one stack and rendering its Terraform JSON, for the
 * default config and for one with every option on; and an app with several environments.
 *
 *   node --import tsx bench/synth.ts [rounds]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Testing } from "cdktf";
import { addStacks } from "../src/app.js";
import { parseConfigFile, parseDeploymentConfig } from "../src/config/load.js";
import { MassIngestStack } from "../src/stack.js";
import { FULL } from "../test/fixtures.js";
import { minimalConfig } from "../test/helpers.js";

const rounds = Number(process.argv[2] ?? 10);
// cdktf's testing app creates its outdir; keep them all in one folder and remove it at the end.
const outdirs = mkdtempSync(join(tmpdir(), "mass-ingest-bench-"));
process.on("exit", () => rmSync(outdirs, { recursive: true, force: true }));
let n = 0;
const testingApp = () => Testing.app({ outdir: join(outdirs, String(n++)) });

function time(label: string, fn: () => void): void {
  fn(); // warm-up: module loading and JIT
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] as number;
  console.log(`${label.padEnd(44)} median ${median.toFixed(1)} ms  min ${samples[0]?.toFixed(1)} ms  (${rounds} rounds)`);
}

time("validate config (defaults)", () => void parseDeploymentConfig(minimalConfig()));
time(
  "synth one stack (defaults)",
  () => void Testing.synth(new MassIngestStack(testingApp(), "s", parseDeploymentConfig(minimalConfig()))),
);
time("synth one stack (everything on)", () => void Testing.synth(new MassIngestStack(testingApp(), "s", parseDeploymentConfig(FULL))));
const { name: _name, ...shared } = minimalConfig() as Record<string, unknown>;
const environments = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`env${i}`, { name: `mi-env${i}` }]));
time("synth an app with 5 environments", () => {
  const app = testingApp();
  for (const stack of addStacks(app, parseConfigFile({ defaults: shared, environments }, "bench"))) Testing.synth(stack);
});
