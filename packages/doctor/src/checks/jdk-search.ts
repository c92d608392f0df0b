import { constants } from "node:fs";
import { access, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { runTool } from "../exec.js";

/** A JDK found on disk. */
export interface FoundJdk {
  home: string;
  /** Feature release: 8, 11, 17, 21, ... */
  major: number;
}

/** The major of a Java version string: "17.0.2" -> 17, "1.8.0_392" -> 8, "21" -> 21. */
export function javaMajor(version: string): number | undefined {
  const match = /^\s*"?(?:1\.)?(\d+)/.exec(version);
  if (!match) return undefined;
  const major = Number(match[1]);
  return Number.isSafeInteger(major) && major > 0 ? major : undefined;
}

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** The JDK's major from its `release` file, else from `bin/java -version`. */
async function majorOf(home: string, signal: AbortSignal): Promise<number | undefined> {
  const release = await readFile(path.join(home, "release"), "utf8").catch(() => "");
  const fromRelease = /^JAVA_VERSION="([^"]+)"/m.exec(release);
  if (fromRelease?.[1]) return javaMajor(fromRelease[1]);
  const run = await runTool(path.join(home, "bin", "java"), ["-version"], { timeoutMs: 15_000, signal });
  const printed = /version "([^"]+)"/.exec(`${run.stderr}\n${run.stdout}`);
  return printed?.[1] ? javaMajor(printed[1]) : undefined;
}

/** Every JDK home in `homes` and in the subfolders of `roots` that has an executable bin/java, with its major. */
export async function findJdks(roots: readonly string[], homes: readonly string[], signal: AbortSignal): Promise<FoundJdk[]> {
  const candidates = new Set(homes.map((h) => path.resolve(h)));
  for (const root of roots) {
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory() || entry.isSymbolicLink()) candidates.add(path.join(root, entry.name));
  }
  const found: FoundJdk[] = [];
  for (const home of [...candidates].sort()) {
    if (!(await executable(path.join(home, "bin", "java")))) continue;
    const major = await majorOf(home, signal);
    if (major !== undefined) found.push({ home, major });
  }
  return found;
}
