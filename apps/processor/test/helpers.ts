import { spawn, type ChildProcess } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createProgram, type ProcessorFlags } from "../src/program.js";

export const appDir = fileURLToPath(new URL("..", import.meta.url));

export interface Spawned {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Start the processor from source (node --import tsx, tsconfig paths resolve the workspace libraries). */
export function startProcessor(args: string[], env: Record<string, string | undefined>): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(appDir, "src", "main.ts"), ...args], {
    cwd: appDir,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export function runProcessorChild(args: string[], env: Record<string, string | undefined>) {
  return startProcessor(args, env).done;
}

/** The report file(s) under DATA_DIR/logs/<index>/<ts>/. */
export async function findReports(dataDir: string, index: string): Promise<string[]> {
  const base = path.join(dataDir, "logs", index);
  const out: string[] = [];
  for (const ts of await readdir(base).catch(() => [] as string[])) {
    for (const f of await readdir(path.join(base, ts)))
      if (f.startsWith("ingest-report-") && f.endsWith(".json")) out.push(path.join(base, ts, f));
  }
  return out;
}

/** Parse a command line with the processor's program (without running): the csv argument and the flags. */
export async function parseArgs(argv: readonly string[]): Promise<{ csv?: string; flags: ProcessorFlags }> {
  let parsed: { csv?: string; flags: ProcessorFlags } | undefined;
  const program = createProgram({ out: () => {}, err: () => {} }, async (csv, flags) => {
    parsed = { ...(csv !== undefined ? { csv } : {}), flags };
  }).exitOverride();
  await program.parseAsync([...argv], { from: "user" });
  return parsed!;
}
