/**
 * The failure-cause rule table: the one place that says which evidence means which cause. Rules are tried in
 * order and the first match wins, so the specific ones (a 401 while resolving dependencies is `auth`, an
 * unsupported class file version is `toolchain`) come before the general ones (`BUILD FAILURE` is `build`).
 * Users extend the table from the config (see `parseTriageRules`); their rules are tried before these.
 * docs/triage.md lists the rules in words.
 */
import type { FailureCause, ModStep } from "@mass-ingest/contract";

/** One rule: a cause, the log-line pattern that shows it, and optionally the steps it applies to. */
export interface TriageRule {
  cause: FailureCause;
  pattern: RegExp;
  /** Steps the rule applies to (all when absent). */
  steps?: readonly ModStep[];
  /** Why, for a person reading the table. */
  note: string;
}

/**
 * An HTTP status in words a client prints ("status code: 401", "HTTP 503", "returned 502", "502 Bad Gateway"), never
 * a bare number: a path such as work/row-500 in a command line is no evidence.
 */
function httpStatus(codes: string): string {
  return `(HTTP(/[\\d.]+)?|status( code)?|code|returned|response|error)[:= ]+(${codes})\\b|\\b(${codes}) (Bad Gateway|Service Unavailable|Gateway Time-?out|Internal Server Error|Too Many Requests|Unauthorized|Forbidden)`;
}

/**
 * The log lines that mean a missing or wrong JDK, build tool or wrapper (regexp sources, case-insensitive), in the
 * order they are tried. `jdk`: the same line naming the Java version the build needs (the number is group 1), and
 * how to get the major from that number (triage/remedy.ts).
 */
export const TOOLCHAIN_SIGNALS: ReadonlyArray<{ signal: string; jdk?: readonly [RegExp, (n: number) => number] }> = [
  { signal: "Unsupported class file major version", jdk: [/Unsupported class file major version (\d+)/i, (n) => n - 44] },
  { signal: "UnsupportedClassVersionError", jdk: [/UnsupportedClassVersionError.*class file version (\d+)/i, (n) => n - 44] },
  { signal: "invalid (target|source) release", jdk: [/invalid (?:target|source) release:?\s*(?:1\.)?(\d+)/i, (n) => n] },
  { signal: "release version \\d+ not supported", jdk: [/release version (\d+) not supported/i, (n) => n] },
  { signal: "JAVA_HOME is not (defined|set)" },
  { signal: "No compiler is provided" },
  { signal: "No matching toolchains? found", jdk: [/No matching toolchains? found.*languageVersion\s*[=:]\s*(\d+)/i, (n) => n] },
  { signal: "Could not find or load main class org\\.gradle\\.wrapper" },
  { signal: "(mvnw|gradlew): (not found|Permission denied)" },
];

const NETWORK_STEPS: readonly ModStep[] = ["sync", "publish"];

export const BUILTIN_RULES: readonly TriageRule[] = [
  {
    cause: "memory",
    pattern: /OutOfMemoryError|GC overhead limit exceeded|Cannot allocate memory|OOMKilled|oom-kill/i,
    note: "JVM or kernel out of memory",
  },
  { cause: "disk", pattern: /No space left on device|ENOSPC|Disk quota exceeded/i, note: "the disk filled up" },
  {
    cause: "auth",
    pattern: new RegExp(
      `${httpStatus("401|403")}|Unauthorized|Forbidden|Authentication failed|could not read Username|Permission denied \\(publickey`,
      "i",
    ),
    note: "the git host or a dependency repository refused the credentials",
  },
  {
    cause: "not-found",
    pattern:
      /Repository not found|does not appear to be a git repository|Remote branch \S+ not found|couldn't find remote ref|repository '[^']*' not found/i,
    steps: ["sync"],
    note: "the repository or the branch is gone",
  },
  {
    cause: "toolchain",
    pattern: new RegExp(TOOLCHAIN_SIGNALS.map((s) => s.signal).join("|"), "i"),
    note: "a missing or wrong JDK, build tool or wrapper",
  },
  {
    cause: "transient",
    pattern: new RegExp(
      `${httpStatus("5\\d\\d|429")}|Connection reset|ECONNRESET|Connection timed out|ETIMEDOUT|Too Many Requests|rate limit|TLS handshake timeout|early EOF|spot (instance )?interruption|Host EC2 .* terminated`,
      "i",
    ),
    steps: NETWORK_STEPS,
    note: "the network, a 5xx or a rate limit on sync or publish",
  },
  {
    cause: "transient",
    pattern: new RegExp(`Could not transfer artifact .*(${httpStatus("5\\d\\d|429")})|Connection reset|Read timed out`, "i"),
    steps: ["build"],
    note: "a dependency repository answered 5xx or dropped the connection",
  },
  {
    // Case-sensitive: Maven and Gradle print these in capitals; our own "build failed (exit 1)" is no evidence.
    cause: "build",
    pattern:
      /COMPILATION ERROR|Compilation failed|BUILD FAILURE|BUILD FAILED|FAILURE: Build failed|There (are|were) test failures|Tests run: .*Failures: [1-9]|error: cannot find symbol/,
    steps: ["build"],
    note: "the repository's own build failed (compile or test)",
  },
];
