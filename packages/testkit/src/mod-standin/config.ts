/** Trace outcomes the stand-in writes (the CLI's `*Outcome` values). */
export type TraceOutcome = "Succeeded" | "Failed" | "Canceled" | "Skipped";

/**
 * Behaviour of the `mod` stand-in (config.json in its home). Patterns are substrings of the repo path (or clone URL
 * for sync). The stand-in models the Moderne CLI 4.x reference: options a version does not have are refused with
 * picocli's message and exit 2.
 *
 * Untrusted-build hook (no knob): during `mod build`, a checkout containing `.standin-build.sh` (executable or not)
 * has it run as `bash .standin-build.sh` in the checkout, with the stand-in's own environment and uid; its stdout and
 * stderr are appended to that repository's build.log and a non-zero exit makes that repository's build Failed.
 */
export interface StandInConfig {
  /**
   * The modelled CLI version, default "4.9.2". Decides which commands and options exist (each table entry's
   * `since` / `until`): e.g. "4.2.14" still has `build --no-download` but no `build --full`. `mod --version` prints
   * `Moderne CLI <version>`; a value not starting with a digit (e.g. "Moderne CLI 3.9.9-doctor") is printed verbatim
   * and its first x.y.z is the modelled version.
   */
  version?: string;
  /** Delay per repository in `git sync csv`, ms. Default 0. */
  syncMs?: number;
  /** Build time per repository, ms. Default 20. */
  buildMs?: number;
  /** Per-repository build time: first pattern contained in the repo path wins. */
  buildMsByRepo?: Record<string, number>;
  /** Rows whose clone URL or path contains one of these fail to sync (others still sync; exit 1). */
  failSync?: string[];
  /** Repositories whose build fails (no jar; buildOutcome Failed). */
  failBuild?: string[];
  /**
   * Repositories that build only on a JDK (first pattern contained in the path wins: the major, e.g. "21"): with
   * any other `java` column (or none) the build fails with "Unsupported class file major version <major + 44>".
   */
  needsJdk?: Record<string, string>;
  /** Repositories whose build is Skipped (no jar, not a failure). */
  skipBuild?: string[];
  /** Repositories whose build hangs: spawns a grandchild `sleep 100000` and never returns. */
  hangBuild?: string[];
  /** Repositories whose publish fails (publishOutcome Failed). */
  failPublish?: string[];
  /**
   * Repositories whose first N publishes fail with `HTTP 503 Service Unavailable` (pattern -> N), then succeed: a
   * transient failure. The count survives between calls (in the stand-in's home); `reset()` clears it.
   */
  flakyPublish?: Record<string, number>;
  /**
   * Exit code of a `build` or `publish` where some repositories failed and some succeeded (undocumented for the
   * real CLI, which prints `MOD PARTIALLY SUCCEEDED`). Default 1. All failed: 1; none failed: 0.
   */
  partialExit?: 0 | 1;
  /** Repositories whose build is recorded `reproducible=false` in repos-lock.csv (others: true when built). */
  notReproducible?: string[];
  /** buildParseErrorCount per repository (first pattern contained in the path wins). Default 0. */
  parseErrors?: Record<string, number>;
  /** Write trace.csv columns in reverse export order (readers must go by name). */
  traceColumnsReversed?: boolean;
  /** Extra columns (name -> value) appended to every trace.csv: readers must tolerate columns they do not know. */
  traceExtraColumns?: Record<string, string>;
  /** Write no trace.csv (a caller must then fall back to exit codes). */
  noTrace?: boolean;
  /** Write no repos-lock.csv. */
  noLock?: boolean;
  /** Force the exit code of a command kind after it ran (not for usage errors or --help). */
  exitCodes?: Partial<Record<"config" | "sync" | "build" | "publish" | "log" | "monitor", number>>;
  /** Extra environment variable names to record in calls.jsonl (NO_COLOR and TERM always are). */
  recordEnv?: string[];
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
  /** null for a hung build; 143/130/129 when stopped by SIGTERM/SIGINT/SIGHUP; 2 for a usage error. */
  exitCode: number | null;
  signal?: string;
  hung?: boolean;
  /** pid of the `sleep 100000` a hung build left behind: must be gone once the caller killed the tree. */
  grandchildPid?: number;
  /** The command's words, e.g. "config lsts artifacts maven add" (absent when no command matched). */
  command?: string;
  /** Deprecated forms this call used: the command path, and/or "<command path> <flag>" per deprecated option. */
  deprecated?: string[];
  /** The picocli-style message of a usage error (exit 2), e.g. "Unknown option: '--no-download'". */
  usageError?: string;
}

/** What `mod config ...` stored (cli-config.json). Only the fields given are present. */
export interface CliConfig {
  /** `config moderne edit <host>` (+ `--token` etc., deprecated), `config moderne login --with-token`. */
  moderne?: { tenant: string; token?: string; api?: string; skipSsl?: boolean; user?: string; password?: string; expiration?: string };
  /** `mod config java options edit`. */
  javaOptions?: string;
  /** `config http trust-store edit java-home` ("java-home"), `edit system` ("system"), `edit file <path>` (the path). */
  trustStore?: string;
  /** `config build <tool> timeout edit <ISO-8601>`, by tool. */
  buildTimeouts?: Record<string, string>;
  /** `config clone timeout edit <ISO-8601>`. */
  cloneTimeout?: string;
  /** `config license edit <license>`. */
  license?: string;
  artifacts?:
    | { type: "maven"; url: string; user?: string; password?: string; authorization?: string; skipSsl?: boolean; local?: boolean }
    | { type: "artifactory"; url: string; token?: string; authorization?: string; user?: string; password?: string; skipSsl?: boolean }
    /** `endpoint` is `--endpoint-url`. */
    | { type: "s3"; url: string; endpoint?: string; profile?: string; region?: string; skipSsl?: boolean };
}

/** One artifact `mod publish` uploaded (status 0 for s3, which is only recorded). URL without credentials. */
export interface Published {
  store: "maven" | "artifactory" | "s3";
  repo: string;
  url: string;
  status: number;
  /** The publish command's id (its folder under <ws>/.moderne/publish). */
  publishId?: string;
}

/** A CSV the stand-in wrote: header in file order, rows by column name. */
export interface CsvTable {
  columns: string[];
  rows: Record<string, string>[];
}

/** One command's trace.csv. */
export interface Trace extends CsvTable {
  /** The command id (folder name). */
  id: string;
  file: string;
}
