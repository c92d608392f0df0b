/**
 * Run a program the way a test (or a benchmark) looks at it from the outside: exit code, signal, everything it
 * printed. A thin layer over execa that never rejects for a non-zero exit, so tests assert on `code` themselves.
 */
import type { ChildProcess } from "node:child_process";
import type { ResultPromise } from "execa";
import { execa } from "execa";

export interface ProcessOptions {
  /** Working directory (default: this process's). */
  cwd?: string;
  /**
   * The child's WHOLE environment (this process's environment is not merged in; spread `process.env` yourself
   * when the child should inherit it). `undefined` values are left out, so `{ ...process.env, JOB_QUEUE: undefined }`
   * removes a variable. Default: this process's environment.
   */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed. Without it stdin is closed from the start. */
  input?: string;
  /** Kill the child (SIGTERM, then SIGKILL 5 s later) after this many milliseconds; `timedOut` says it happened. */
  timeoutMs?: number;
}

/** How a process ended and what it printed (stdout/stderr verbatim, trailing newline kept). */
export interface ProcessResult {
  /** Exit code; null when a signal ended the process. */
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when `timeoutMs` ran out and the child was killed. */
  timedOut: boolean;
}

/** A started process: the child (pid, kill, ...) and its end. */
export interface StartedProcess {
  child: ResultPromise;
  /** Resolves when the process has ended and its output is closed; rejects only if it could not be started. */
  done: Promise<ProcessResult>;
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * Start `command args` and collect its output; use when the test needs the child while it runs (signals, pid).
 *
 * ```ts
 * const { child, done } = startProcess(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: appDir });
 * child.kill("SIGTERM");
 * expect((await done).code).toBe(143);
 * ```
 */
export function startProcess(command: string, args: readonly string[], options: ProcessOptions = {}): StartedProcess {
  const child = execa(command, args, {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: cleanEnv(options.env ?? process.env),
    extendEnv: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" as const }),
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
    reject: false,
    stripFinalNewline: false,
  });
  const done = child.then((r) => {
    // With reject: false a failed start (ENOENT, EACCES, bad cwd) also resolves: no exit code and no signal.
    if (r.exitCode === undefined && r.signal === undefined) {
      throw r.cause instanceof Error ? r.cause : new Error(`could not start ${command}: ${r.shortMessage}`);
    }
    return {
      code: r.exitCode ?? null,
      signal: (r.signal as NodeJS.Signals | undefined) ?? null,
      stdout: r.stdout,
      stderr: r.stderr,
      timedOut: r.timedOut,
    };
  });
  return { child, done };
}

/**
 * Run `command args` to its end; resolves to `{ code, signal, stdout, stderr, timedOut }` whatever the exit code,
 * rejects only when the program could not be started.
 *
 * ```ts
 * const r = await runProcess(process.execPath, ["--import", "tsx", "src/main.ts", "--help"], { cwd: appDir });
 * expect(r.code, r.stderr).toBe(0);
 * ```
 */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  return startProcess(command, args, options).done;
}

/**
 * Stop a child and everything it started: SIGTERM its process group (when it was spawned `detached`; otherwise
 * just the child), SIGKILL after `graceMs` (default 3 s). Resolves once the child has exited.
 */
export function killGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const pid = child.pid;
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        child.kill(sig);
      }
    };
    const timer = setTimeout(() => signal("SIGKILL"), graceMs);
    timer.unref();
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    signal("SIGTERM");
  });
}
