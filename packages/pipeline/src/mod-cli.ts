import { readdirSync, readFileSync } from "node:fs";
import { execa } from "execa";
import { ProcessGroups } from "@mass-ingest/core";
import type { SecretRedactor } from "./redact.js";

/** What one `mod` invocation did. */
export interface ModRunResult {
  /** The exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  /** The signal that ended the process, if any. */
  signal?: string;
  /** True when the run hit its timeout and its process group was killed. */
  timedOut: boolean;
  /** True when the run was stopped because the AbortSignal fired. */
  aborted: boolean;
  durationMs: number;
  /** Process id (= process group id: children run detached in their own group). */
  pid?: number;
  /** The command line as logged: secrets replaced by `***`. */
  commandLine: string;
  /** Last few KB of stdout/stderr (redacted), for error messages and the report. */
  outputTail: string;
}

export interface ModRunOptions {
  cwd?: string;
  /** Kill the whole process tree after this many ms. */
  timeoutMs?: number;
  /** Abort = SIGTERM the whole process group (then SIGKILL after the grace period). */
  signal?: AbortSignal;
  /** Written to the CLI's stdin, then closed (a secret the CLI reads from stdin never shows in argv). Default: no stdin. */
  input?: string;
  /** Variables added to this call's environment only (e.g. the artifact store's MOD_LSTS_ARTIFACTS_* for `mod publish`). */
  env?: Record<string, string>;
  /**
   * Run as this user (root only) with exactly this environment instead of the CLI's (see isolation/): neither the
   * CLI's extra variables (git credential files) nor `env` reach it.
   */
  user?: { uid: number; gid: number; env: Record<string, string> };
}

/** The one way the pipeline talks to the Moderne CLI. */
export interface ModCli {
  run(args: readonly string[], options?: ModRunOptions): Promise<ModRunResult>;
}

export interface ExecaModCliOptions {
  /** Executable: `mod`, a `modw` wrapper path, or the test stand-in. */
  command: string;
  /** Arguments put before every call (e.g. for a wrapper that needs a sub-command). */
  prefixArgs?: readonly string[];
  /**
   * Environment for every call; NO_COLOR=true and TERM=dumb are always added, and CUSTOM_CI=true (the CLI's plain
   * CI output, as the reference worker image sets it) unless the environment sets CUSTOM_CI. Defaults to process.env.
   */
  env?: Record<string, string | undefined>;
  /** Secrets to redact from command lines and output tails. */
  redactor?: SecretRedactor;
  /** Grace period between SIGTERM and SIGKILL of the process group (ms, default 10 000). */
  killGraceMs?: number;
  /** Bytes of output kept for the report (default 8 KiB). */
  tailBytes?: number;
  /** Called with each started command line (already redacted). */
  onCommand?: (commandLine: string) => void;
  /**
   * Where each call's process group is registered while it runs (default: a registry of this runner's own). The
   * program that creates the runner passes its own, to kill every group on its way out (`ProcessGroups.killAll`).
   */
  groups?: ProcessGroups;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * True while any live (non-zombie) process of group `pgid` exists. Zombies are skipped: in containers whose
 * init does not reap, an orphan killed by us stays a zombie forever but no longer runs or holds resources.
 */
export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (process.platform !== "linux") return true;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields: state ppid pgrp ...
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // group already gone
  }
}

/**
 * SIGTERM to the group, SIGKILL after `graceMs`, then wait until every member is gone (zombies of our own child
 * are reaped by node).
 */
async function killProcessGroup(pgid: number, graceMs: number): Promise<void> {
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (processGroupAlive(pgid) && Date.now() < deadline) await sleep(50);
  signalGroup(pgid, "SIGKILL");
  const hardDeadline = Date.now() + 5000;
  while (processGroupAlive(pgid) && Date.now() < hardDeadline) await sleep(50);
}

/** Quote an argument for a readable (not executable) command line. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The real ModCli: runs the CLI with execa, each call detached in its own process group so a timeout or an
 * abort kills the whole tree (SIGTERM to the group, SIGKILL after a grace period, then waits until the group
 * is empty: no orphans survive a build).
 */
export class ExecaModCli implements ModCli {
  readonly #options: ExecaModCliOptions;
  readonly #live: ProcessGroups;
  #extraEnv: Record<string, string> = {};

  constructor(options: ExecaModCliOptions) {
    this.#options = options;
    this.#live = options.groups ?? new ProcessGroups();
  }

  /** Add variables to the environment of every later call (e.g. MODERNE_OPTS when the CLI has no `config java options`). */
  addEnv(vars: Record<string, string>): void {
    this.#extraEnv = { ...this.#extraEnv, ...vars };
  }

  /** SIGKILL every live process group now (last resort on process exit). */
  killAll(): void {
    this.#live.killAll("SIGKILL");
  }

  /** A call's environment: a build user's own (nothing of ours added), else ours plus the git and call variables. */
  #envFor(options: ModRunOptions): Record<string, string | undefined> {
    const env = options.user?.env ?? this.#options.env ?? process.env;
    const ours = options.user ? {} : { ...this.#extraEnv, ...options.env };
    return { ...env, ...ours, CUSTOM_CI: env.CUSTOM_CI ?? "true", NO_COLOR: "true", TERM: "dumb" };
  }

  async run(args: readonly string[], options: ModRunOptions = {}): Promise<ModRunResult> {
    const { redactor, onCommand } = this.#options;
    const argv = [...(this.#options.prefixArgs ?? []), ...args];
    const rawLine = [this.#options.command, ...argv].map(quote).join(" ");
    const commandLine = redactor ? redactor.redact(rawLine) : rawLine;
    const started = performance.now();
    if (options.signal?.aborted) {
      return { exitCode: null, timedOut: false, aborted: true, durationMs: 0, commandLine, outputTail: "" };
    }
    onCommand?.(commandLine);
    const tailBytes = this.#options.tailBytes ?? 8192;
    let tail = "";
    const keep = (chunk: Buffer | string) => {
      tail = (tail + chunk.toString()).slice(-tailBytes);
    };
    const subprocess = execa(this.#options.command, argv, {
      cwd: options.cwd,
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
      env: this.#envFor(options),
      extendEnv: false,
      detached: true,
      cleanup: false,
      reject: false,
      ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" as const }),
      buffer: false,
      stdout: "pipe",
      stderr: "pipe",
    });
    subprocess.stdout?.on("data", keep);
    subprocess.stderr?.on("data", keep);
    const pgid = subprocess.pid;
    if (pgid !== undefined) this.#live.add(pgid);

    let timedOut = false;
    let aborted = false;
    let killing: Promise<void> | undefined;
    const killTree = () => {
      if (killing || pgid === undefined) return;
      killing = killProcessGroup(pgid, this.#options.killGraceMs ?? 10_000);
    };
    const timer =
      options.timeoutMs !== undefined && options.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            killTree();
          }, options.timeoutMs)
        : undefined;
    const onAbort = () => {
      aborted = true;
      killTree();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const result = await subprocess;
      if (killing) await killing;
      const out: ModRunResult = {
        exitCode: result.exitCode ?? null,
        timedOut,
        aborted: aborted && !timedOut,
        durationMs: Math.round(performance.now() - started),
        commandLine,
        outputTail: redactor ? redactor.redact(tail) : tail,
      };
      if (result.signal) out.signal = result.signal;
      if (pgid !== undefined) out.pid = pgid;
      if (result.failed && result.exitCode === undefined && !result.signal) {
        // spawn failure (ENOENT, EACCES): report it like a failed step
        const message = "message" in result && typeof result.message === "string" ? result.message : "could not start the CLI";
        out.outputTail = (redactor ? redactor.redact(message) : message).slice(-tailBytes);
        out.exitCode = 127;
      }
      return out;
    } finally {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (pgid !== undefined) this.#live.delete(pgid);
    }
  }
}
