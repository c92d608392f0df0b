import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Behaviour of the `mod` stand-in (config.json in its home). Patterns are substrings of the repo path (or clone URL for sync). */
export interface StandInConfig {
  /** Delay per repository in `git sync csv`, ms. Default 0. */
  syncMs?: number;
  /** Build time per repository, ms. Default 20. */
  buildMs?: number;
  /** Per-repository build time: first pattern contained in the repo path wins. */
  buildMsByRepo?: Record<string, number>;
  /** Rows whose clone URL or path contains one of these fail to sync (others still sync; exit 1). */
  failSync?: string[];
  /** Repositories whose build fails (no jar; exit 1 at the end). */
  failBuild?: string[];
  /** Repositories whose build hangs: spawns a grandchild `sleep 100000` and never returns. */
  hangBuild?: string[];
  /** Repositories whose publish fails (exit 1 at the end). */
  failPublish?: string[];
  /** Force the exit code of a command kind after it ran. */
  exitCodes?: Partial<Record<"config" | "sync" | "build" | "publish" | "log" | "monitor", number>>;
  /** Extra environment variable names to record in calls.jsonl (NO_COLOR and TERM always are). */
  recordEnv?: string[];
  /** What `mod --version` prints (default "Moderne CLI 3.0.0-standin"). */
  version?: string;
}

/** One `mod` invocation as recorded in calls.jsonl. Secrets appear as given: assert on them, never print them. */
export interface Call {
  argv: string[];
  cwd: string;
  pid: number;
  ppid: number;
  /** NO_COLOR, TERM (when set) and the names in StandInConfig.recordEnv. */
  env: Record<string, string>;
  /** Epoch ms. */
  start: number;
  /** Epoch ms; null for a hung build (recorded when it started hanging). */
  end: number | null;
  /** null for a hung build; 143/130/129 when stopped by SIGTERM/SIGINT/SIGHUP. */
  exitCode: number | null;
  signal?: string;
  hung?: boolean;
  /** pid of the `sleep 100000` a hung build left behind: must be gone once the caller killed the tree. */
  grandchildPid?: number;
}

/** What `mod config ...` stored (cli-config.json). */
export interface CliConfig {
  moderne?: { tenant: string; token: string };
  /** `mod config java options edit`. */
  javaOptions?: string;
  /** `mod config http trust-store edit`. */
  trustStore?: string;
  artifacts?:
    | { type: "maven"; url: string; user: string; password: string }
    | { type: "artifactory"; url: string; token: string }
    | { type: "s3"; url: string; endpoint?: string; profile?: string; region?: string };
}

/** One artifact `mod publish` uploaded (status 0 for s3, which is only recorded). URL without credentials. */
export interface Published {
  store: "maven" | "artifactory" | "s3";
  repo: string;
  url: string;
  status: number;
}

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
}

export interface ModwRepository {
  version: string;
  /** "io/moderne/moderne-cli/maven-metadata.xml" */
  metadataPath: string;
  /** "io/moderne/moderne-cli/<version>/moderne-cli-<version>-modw.sh" */
  wrapperPath: string;
}

const binDir = fileURLToPath(new URL("../bin/", import.meta.url));

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
      for (const name of ["calls.jsonl", "published.jsonl", "cli-config.json"]) rmSync(file(name), { force: true });
    },
    cleanup() {
      if (created) rmSync(home, { recursive: true, force: true });
    },
    writeModwRepository(root, version = "3.99.0") {
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
