import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parse } from "csv-parse/sync";
import type { CliConfig, Call, CsvTable, Published, StandInConfig, Trace } from "./mod-standin/config.js";

export type { CliConfig, Call, CsvTable, Published, StandInConfig, Trace, TraceOutcome } from "./mod-standin/config.js";

/** The CLI version the stand-in models unless StandInConfig.version says otherwise. */
export const STANDIN_DEFAULT_VERSION = "4.9.2";

export interface ModStandIn {
  /** Absolute path of the executable `bin/mod` (use as MOD_CLI or spawn it directly). */
  command: string;
  /** Folder holding `mod`: prepend to PATH to make `mod` resolvable by name. */
  binDir: string;
  /** Environment the stand-in needs: { MOD_STANDIN_HOME }. Merge into the child's environment. */
  env: Record<string, string>;
  /** MOD_STANDIN_HOME. */
  home: string;
  /** Replace config.json (takes effect for the next invocation). */
  setConfig(config: StandInConfig): void;
  /** Finished invocations (plus hung builds), in completion order. */
  calls(): Promise<Call[]>;
  /** What `mod config ...` stored. */
  cliConfig(): Promise<CliConfig>;
  /** Artifacts `mod publish` uploaded. */
  published(): Promise<Published[]>;
  /** Forget recorded calls, published artifacts and stored CLI config (keeps config.json). */
  reset(): void;
  /** Remove the home folder when the kit created it. */
  cleanup(): void;
  /**
   * Lay out a Maven repository under `root` (e.g. an nginx root) that offers this stand-in as the `modw` wrapper:
   * `io/moderne/moderne-cli/maven-metadata.xml` naming `<release>version</release>` and
   * `io/moderne/moderne-cli/<version>/moderne-cli-<version>-modw.sh`, a shell script running `bin/mod`
   * (MOD_STANDIN_HOME defaults to this stand-in's home). Returns repository-relative paths.
   */
  writeModwRepository(root: string, version?: string): ModwRepository;
  /**
   * The trace.csv of a command in workspace `ws` (`<ws>/.moderne/<stage>/<id>/trace.csv`): the newest one unless
   * `id` is given; undefined when there is none.
   */
  trace(ws: string, stage: "sync" | "build" | "publish", id?: string): Trace | undefined;
  /** `<ws>/.moderne/repos-lock.csv`, or undefined. */
  reposLock(ws: string): CsvTable | undefined;
}

export interface ModwRepository {
  version: string;
  /** "io/moderne/moderne-cli/maven-metadata.xml" */
  metadataPath: string;
  /** "io/moderne/moderne-cli/<version>/moderne-cli-<version>-modw.sh" */
  wrapperPath: string;
}

const binDir = fileURLToPath(new URL("../bin/", import.meta.url));

function readCsvFile(file: string): CsvTable {
  let columns: string[] = [];
  const rows = parse(readFileSync(file), {
    columns: (header: string[]) => (columns = header),
    skip_empty_lines: true,
    bom: true,
  }) as Record<string, string>[];
  return { columns, rows };
}

function readTrace(ws: string, stage: string, id?: string): Trace | undefined {
  const root = path.join(ws, ".moderne", stage);
  const chosen = id ?? (existsSync(root) ? readdirSync(root).sort().pop() : undefined);
  const file = chosen && path.join(root, chosen, "trace.csv");
  if (!file || !existsSync(file)) return undefined;
  return { id: chosen, file, ...readCsvFile(file) };
}

function readJsonl<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

/**
 * Create a Moderne CLI stand-in with its own state folder. Synchronous; awaiting it works too.
 * Run `command` with `env` merged into the environment (NO_COLOR/TERM as the caller chooses).
 */
export function createModStandIn(options: { home?: string; config?: StandInConfig } = {}): ModStandIn {
  const created = !options.home;
  const home = options.home ?? mkdtempSync(path.join(os.tmpdir(), "mod-standin-"));
  mkdirSync(home, { recursive: true });
  const file = (name: string) => path.join(home, name);
  const setConfig = (config: StandInConfig) => writeFileSync(file("config.json"), JSON.stringify(config, null, 2));
  setConfig(options.config ?? {});
  return {
    command: path.join(binDir, "mod"),
    binDir: binDir.replace(/\/$/, ""),
    env: { MOD_STANDIN_HOME: home },
    home,
    setConfig,
    calls: async () => readJsonl<Call>(file("calls.jsonl")),
    cliConfig: async () =>
      existsSync(file("cli-config.json")) ? (JSON.parse(readFileSync(file("cli-config.json"), "utf8")) as CliConfig) : {},
    published: async () => readJsonl<Published>(file("published.jsonl")),
    reset() {
      for (const name of ["calls.jsonl", "published.jsonl", "cli-config.json", "flaky-publish.json"]) rmSync(file(name), { force: true });
    },
    cleanup() {
      if (created) rmSync(home, { recursive: true, force: true });
    },
    trace: (ws, stage, id) => readTrace(ws, stage, id),
    reposLock(ws) {
      const file = path.join(ws, ".moderne", "repos-lock.csv");
      return existsSync(file) ? readCsvFile(file) : undefined;
    },
    writeModwRepository(root, version = STANDIN_DEFAULT_VERSION) {
      const base = "io/moderne/moderne-cli";
      const metadataPath = `${base}/maven-metadata.xml`;
      const wrapperPath = `${base}/${version}/moderne-cli-${version}-modw.sh`;
      mkdirSync(path.join(root, base, version), { recursive: true });
      writeFileSync(
        path.join(root, metadataPath),
        `<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <groupId>io.moderne</groupId>
  <artifactId>moderne-cli</artifactId>
  <versioning>
    <latest>${version}</latest>
    <release>${version}</release>
    <versions><version>${version}</version></versions>
  </versioning>
</metadata>
`,
      );
      const quote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;
      writeFileSync(
        path.join(root, wrapperPath),
        `#!/bin/sh\n# modw stand-in written by @mass-ingest/testkit\nMOD_STANDIN_HOME="\${MOD_STANDIN_HOME:-${home}}"\nexport MOD_STANDIN_HOME\nexec ${quote(path.join(binDir, "mod"))} "$@"\n`,
        { mode: 0o755 },
      );
      return { version, metadataPath, wrapperPath };
    },
  };
}

/** True while a process with this pid exists and is not a zombie (reparented zombies may never be reaped in containers). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}
