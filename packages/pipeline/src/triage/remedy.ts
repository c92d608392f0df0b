/**
 * The toolchain remedy (docs/triage.md): a build that failed because of the JDK, whose error names the Java version
 * it needs (`Unsupported class file major version 65` is Java 21), is built once more in the same run with that JDK
 * (the row's `java` column) when the image has it. The remedy is kept in the result, and the state hands it to the
 * next night's run, until the row's own `java` column changes or the remedy fails. Without that JDK the reason
 * says which JDK it needs and which the image has; nothing is retried.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RepoRow } from "@mass-ingest/partition";
import type { Group, GroupRun } from "../group-run.js";
import type { RepoResult } from "../report.js";
import type { RunContext } from "../run-context.js";
import { KEYS_SUFFIX } from "../work-dirs.js";
import { classifyFailure } from "./classify.js";
import { TOOLCHAIN_SIGNALS } from "./rules.js";

/** A JDK a repository builds with instead of its row's: `jdk` (a major), while the row's `java` stays `rowJava`. */
export interface JdkRemedy {
  jdk: string;
  /** The row's own `java` column when the remedy was found (absent: empty). */
  rowJava?: string;
}

/** Lines naming the Java version a build needs, and how to get the major from the number they show. */
const NAMED_JDK = TOOLCHAIN_SIGNALS.flatMap((s) => (s.jdk ? [s.jdk] : []));

/** The major of a `java` column or version ("17", "17-tem", "17.0.6-tem", "1.8"); undefined when none. */
export function jdkMajor(java: string | undefined): number | undefined {
  const match = /^\s*(?:1\.)?(\d+)/.exec(java ?? "");
  const major = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(major) && major > 0 ? major : undefined;
}

/** The Java major the first naming line asks for, with that line; undefined when no line names one. */
export function namedJdk(lines: readonly string[]): { major: number; line: string } | undefined {
  for (const line of lines) {
    for (const [pattern, toMajor] of NAMED_JDK) {
      const n = Number(pattern.exec(line)?.[1]);
      if (Number.isSafeInteger(n) && toMajor(n) > 0) return { major: toMajor(n), line: line.trim() };
    }
  }
  return undefined;
}

/**
 * The JDK majors the machine has, as the worker image lays them out: `JAVA_HOME_<major>_X64` (or `_AARCH64`,
 * `_ARM64`) for each, and `JAVA_HOME` (its `release` file says the major). Sorted, each once.
 */
export function availableJdks(env: Record<string, string | undefined>): number[] {
  const found = new Set<number>();
  for (const [name, value] of Object.entries(env)) {
    const match = /^JAVA_HOME_(\d+)(?:_(?:X64|AARCH64|ARM64))?$/.exec(name);
    if (match && value) found.add(Number(match[1]));
  }
  if (env.JAVA_HOME) {
    try {
      const release = readFileSync(path.join(env.JAVA_HOME, "release"), "utf8");
      const major = jdkMajor(/^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1]);
      if (major) found.add(major);
    } catch {
      // no release file: JAVA_HOME's major is unknown
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** What to do about one failed build: retry with a JDK, say which JDK is missing, or nothing. */
export type RemedyDecision =
  | { action: "retry"; jdk: number; line: string }
  | { action: "missing"; jdk: number; line: string; available: readonly number[] }
  | { action: "none" };

/**
 * The remedy for a failed build with these lines: none unless the cause is `toolchain` and a line names a JDK
 * other than the one the build used (`usedJava`); a retry when `available` has it, else missing.
 */
export function decideRemedy(lines: readonly string[], usedJava: string | undefined, available: readonly number[]): RemedyDecision {
  if (classifyFailure({ outcome: "failed", step: "build", lines }).cause !== "toolchain") return { action: "none" };
  const named = namedJdk(lines);
  if (!named || named.major === jdkMajor(usedJava)) return { action: "none" };
  if (available.includes(named.major)) return { action: "retry", jdk: named.major, line: named.line };
  return { action: "missing", jdk: named.major, line: named.line, available };
}

/** The lines of a repository's build log (`<repo>/.moderne/build/<buildId>/build.log`) that name a JDK. */
async function buildLogLines(run: GroupRun, row: RepoRow): Promise<string[]> {
  const buildId = run.traces.get(row.row)?.buildId;
  if (!buildId || !row.path) return [];
  const log = path.join(run.group.dir, row.path, ".moderne", "build", buildId, "build.log");
  const text = await readFile(log, "utf8").catch(() => "");
  return text.split(/\r?\n/).filter((l) => namedJdk([l]) !== undefined);
}

/** The row's failed build, when its build failed (on its own or with the whole group). */
function failedBuild(run: GroupRun, row: RepoRow): { reason: string } | undefined {
  const own = run.rowFailures.get(row.row);
  if (own) return own.failedStep === "build" && own.status === "failed" ? own : undefined;
  return run.status === "failed" && run.failedStep === "build" ? { reason: run.reason ?? "" } : undefined;
}

/**
 * After a group's build: each failed row whose build log or reason names a JDK gets that line in its reason (so
 * its cause reads `toolchain`), and "needs JDK n; the image has ..." when the image lacks it. Resolves to the rows
 * to build again, with their remedy. Runs before the work directory is cleaned up (it reads the build logs).
 */
export async function planJdkRemedies(run: GroupRun): Promise<Map<number, JdkRemedy>> {
  const retries = new Map<number, JdkRemedy>();
  if (run.context.signal?.aborted) return retries;
  for (const row of run.group.rows) {
    const failed = failedBuild(run, row);
    if (!failed) continue;
    const evidence = await buildLogLines(run, row);
    const lines = [...failed.reason.split(/\r?\n/), ...evidence].filter((l) => l.trim() !== "");
    const decision = decideRemedy(lines, row.java, run.context.jdks);
    if (decision.action === "none") continue;
    const shown = failed.reason.includes(decision.line) ? failed.reason : `${failed.reason}\n${decision.line}`;
    const missing = decision.action === "missing" ? `needs JDK ${decision.jdk}; the image has ${listOf(decision.available)}\n` : "";
    run.rowFailures.set(row.row, { status: "failed", failedStep: "build", reason: `${missing}${shown}` });
    if (decision.action !== "retry") continue;
    const tonight = run.context.remedies?.get(row.row);
    const rowJava = tonight ? tonight.rowJava : row.java;
    retries.set(row.row, { jdk: String(decision.jdk), ...(rowJava ? { rowJava } : {}) });
  }
  return retries;
}

const listOf = (majors: readonly number[]) => (majors.length > 0 ? majors.join(", ") : "no JDK");

/** The repositories with the remedies they build with tonight: the row's `java` set to the remedy's JDK. */
export function withRemedies(repos: readonly RepoRow[], remedies: ReadonlyMap<number, JdkRemedy> | undefined): RepoRow[] {
  return repos.map((row) => {
    const remedy = remedies?.get(row.row);
    return remedy ? { ...row, java: remedy.jdk } : row;
  });
}

/**
 * The remedies that still hold for these rows: a remedy found while the row's `java` column was what it is now
 * (a row that sets its own JDK since ends its remedy).
 */
export function currentRemedies(repos: readonly RepoRow[], remedies: ReadonlyMap<number, JdkRemedy> | undefined): Map<number, JdkRemedy> {
  const current = new Map<number, JdkRemedy>();
  for (const row of repos) {
    const remedy = remedies?.get(row.row);
    if (remedy && (remedy.rowJava ?? "") === (row.java ?? "")) current.set(row.row, remedy);
  }
  return current;
}

/**
 * Build the remedied rows of `group` once more, one group per JDK (`<group>-jdk<n>`), through `process` (the
 * group's whole way: sync, build, publish, logs, clean-up), and put their results in place of the failed ones,
 * each with its remedy; a retry that fails again says so in its reason.
 */
export async function retryWithJdks(
  context: RunContext,
  group: Group,
  results: RepoResult[],
  retries: ReadonlyMap<number, JdkRemedy>,
  process: (group: Group) => Promise<RepoResult[]>,
): Promise<RepoResult[]> {
  const byJdk = new Map<string, RepoRow[]>();
  for (const row of group.rows) {
    const remedy = retries.get(row.row);
    if (remedy) byJdk.set(remedy.jdk, [...(byJdk.get(remedy.jdk) ?? []), { ...row, java: remedy.jdk }]);
  }
  const replaced = new Map<number, RepoResult>();
  for (const [jdk, rows] of byJdk) {
    if (context.signal?.aborted) break;
    const id = `${group.id}-jdk${jdk}`;
    const rowNumbers = rows.map((r) => r.row);
    context.emit({ type: "retry", group: group.id, step: "build", attempt: 1, rows: rowNumbers, delayMs: 0, cause: "toolchain", jdk });
    const dir = `${group.dir}-jdk${jdk}`;
    for (const result of await process({ id, rows, dir, csv: `${dir}.csv`, keysFile: `${dir}${KEYS_SUFFIX}` })) {
      const remedy = retries.get(result.row)!;
      const failed = result.status !== "ok" && result.reason ? { reason: `retried with JDK ${jdk}: ${result.reason}` } : {};
      replaced.set(result.row, { ...result, ...failed, remedy });
    }
  }
  return results.map((r) => replaced.get(r.row) ?? r);
}
