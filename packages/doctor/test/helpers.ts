import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runDoctor, type CheckResult, type DoctorOptions, type DoctorSettings } from "../src/index.js";

const dirs: string[] = [];

/** A temp folder removed by cleanupDirs(). */
export async function tempDir(prefix = "doctor-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export async function cleanupDirs(): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Write a repos.csv with a header and these lines. */
export async function writeCsv(dir: string, lines: readonly string[], header = "cloneUrl,branch,java"): Promise<string> {
  const file = path.join(dir, `repos-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, [header, ...lines].join("\n") + "\n");
  return file;
}

/** Run only `id` (plus the secrets and csv steps it depends on) and return its result. */
export async function runCheck(id: string, settings: Partial<DoctorSettings>, options: DoctorOptions = {}): Promise<CheckResult> {
  const report = await runDoctor({ env: {}, allowFileUrls: true, ...settings }, { ...options, only: [id] });
  const result = report.checks.find((c) => c.id === id);
  if (!result) throw new Error(`no result for ${id}: ${JSON.stringify(report.checks)}`);
  return result;
}
