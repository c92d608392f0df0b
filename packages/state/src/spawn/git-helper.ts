/** The parent side of the git spawn helper (`helper-source.ts`): one helper process, many `git` calls. */
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { GIT_HELPER_SOURCE } from "./helper-source.js";

/** One finished `git` call: exit code (-1 when killed), its output (trailing newline dropped), whether it timed out. */
export interface GitCall {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface GitHelper {
  /** Run `git args` in the helper, killed (with its process group) after `timeoutMs`. Rejects if the helper is gone. */
  run(args: ReadonlyArray<string>, timeoutMs: number): Promise<GitCall>;
  /** End the helper (it kills what is still running). */
  close(): void;
}

interface Answer {
  id: number;
  error?: string;
  code?: number;
  stdout?: string;
  stderr?: string;
  timedOut?: boolean;
  overflow?: boolean;
}

const MAX_BUFFER = 16 * 1024 * 1024;
const chomp = (s: string | undefined) => (s ?? "").replace(/\r?\n$/, "");

/** The helper's own environment: no NODE_OPTIONS (a `--max-old-space-size` or `--import` is the chunker's, not its). */
function helperEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/**
 * Start the helper. `gitEnv` is the complete environment of every `git` it runs (undefined values are unset).
 * Requests are answered in any order; `close` it when done (an open helper holds the event loop).
 */
export function startGitHelper(gitEnv: Readonly<Record<string, string | undefined>>): GitHelper {
  const child: ChildProcess = spawn(process.execPath, ["-e", GIT_HELPER_SOURCE], { env: helperEnv(), stdio: ["pipe", "pipe", "ignore"] });
  const pending = new Map<number, { resolve: (call: GitCall) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let gone: Error | undefined;
  const fail = (error: Error) => {
    gone ??= error;
    for (const p of pending.values()) p.reject(gone);
    pending.clear();
  };
  child.on("error", (error) => fail(new Error(`git helper: ${error.message}`)));
  child.on("exit", (code, signal) => fail(new Error(`git helper exited (${signal ?? code})`)));
  child.stdin?.on("error", (error) => fail(new Error(`git helper: ${error.message}`)));
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    const answer = JSON.parse(line) as Answer;
    const p = pending.get(answer.id);
    if (!p) return;
    pending.delete(answer.id);
    if (answer.error !== undefined) p.reject(new Error(answer.error));
    else if (answer.overflow) p.reject(new Error(`git output over ${MAX_BUFFER} bytes`));
    else
      p.resolve({
        exitCode: answer.code ?? -1,
        stdout: chomp(answer.stdout),
        stderr: chomp(answer.stderr),
        timedOut: answer.timedOut === true,
      });
  });
  child.stdin!.write(`${JSON.stringify({ env: gitEnv })}\n`);
  return {
    run(args, timeoutMs) {
      if (gone) return Promise.reject(gone);
      const id = nextId++;
      const answer = new Promise<GitCall>((resolve, reject) => pending.set(id, { resolve, reject }));
      child.stdin!.write(`${JSON.stringify({ id, args, timeoutMs, maxBuffer: MAX_BUFFER })}\n`);
      return answer;
    },
    close() {
      child.stdin?.end();
    },
  };
}
