// `--help` loads the flags only: no AWS SDK, no library that acts on the settings (state, batch, report, pipeline,
// partition), no validation library; each command's implementation is imported when it runs (docs/benchmarks.md).
import { fileURLToPath } from "node:url";
import { runProcess } from "@mass-ingest/testkit/process";
import { expect, it } from "vitest";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const recorder = fileURLToPath(new URL("fixtures/record-imports.mjs", import.meta.url));
const HEAVY = /@aws-sdk|\/packages\/(state|batch|report|pipeline|partition)\/|\/(echarts|zod|execa|aws-embedded-metrics)\//;

it.each([["--help"], ["submit", "--help"], ["status", "--help"], ["retry", "--help"], ["report", "--help"], ["release", "--help"]])(
  "mass-ingest-chunker %s imports no heavy module",
  async (...args) => {
    const r = await runProcess(process.execPath, ["--import", recorder, "--import", "tsx", "src/main.ts", ...args], { cwd: appDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Usage:");
    const imported = [...r.stderr.matchAll(/^imported (\S+)$/gm)].map((m) => m[1]!);
    // The recorder sees the program's own modules (so the assertion below can fail).
    expect(imported.some((url) => url.includes("/commands/submit/define.ts"))).toBe(true);
    expect(imported.filter((url) => HEAVY.test(url))).toEqual([]);
  },
);
