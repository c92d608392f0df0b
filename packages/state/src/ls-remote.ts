/** `git ls-remote` for many repositories: bounded concurrency, a timeout per call, hostile URLs contained. */
import { execa } from "execa";
import pLimit from "p-limit";
import { DEFAULT_LS_REMOTE_CONCURRENCY, DEFAULT_LS_REMOTE_TIMEOUT_MS } from "./constants.js";
import { httpClientApplies, httpLsRemote, USE_GIT, type HttpLsRemote } from "./http/ls-remote-http.js";
import { classifyFailure, commitFrom, redactLine, refPatterns, secretsOf } from "./ls-remote-output.js";
import type { RemoteHead } from "./select.js";
import { startGitHelper, type GitCall, type GitHelper } from "./spawn/git-helper.js";

/** One repository to ask: its key (the result map's key), clone URL and branch (empty: the default branch). */
export interface LsRemoteTarget {
  key: string;
  url: string;
  branch?: string;
}

export interface LsRemoteOptions {
  /** Parallel calls. Default 32. */
  concurrency?: number;
  /** Kill a call after this many ms (kind "timeout"). Default 30 s. */
  timeoutMs?: number;
  /**
   * Environment of every call on top of this process's (the git credentials the processors use: GIT_ASKPASS,
   * GIT_SSH_COMMAND, GIT_CONFIG_* ...). GIT_TERMINAL_PROMPT and GIT_ALLOW_PROTOCOL are always set here.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Allow the file transport (local paths, file://); tests only. Default false. */
  allowFile?: boolean;
  /**
   * Ask http(s) URLs in this process (smart HTTP, protocol v2 `ls-refs`, else v0) instead of spawning git; git
   * still answers ssh://, git:// and scp-style URLs, and whatever the client hands back (redirects, dumb servers,
   * a proxy in the environment, a 401 without credentials of its own). Default true.
   */
  http?: boolean;
  /** Connections per host of the HTTP client. Default: `concurrency`. */
  connectionsPerHost?: number;
  /**
   * Spawn git from one small helper process started for this pass (a fork of a large heap is slow) instead of
   * from this process. Default true; a helper that cannot start or dies falls back to spawning here.
   */
  gitHelper?: boolean;
}

/** Protocols a clone URL of repos.csv may use: never `ext::` (runs commands) or `fd::`. */
export function allowedProtocols(allowFile = false): string {
  return ["https", "http", "ssh", "git", ...(allowFile ? ["file"] : [])].join(":");
}

/** Kill the call's whole process group (git and its git-remote-http / ssh helpers, which hold the pipes open). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** The complete environment of every `git ls-remote` call. */
function gitEnv(options: LsRemoteOptions): Record<string, string | undefined> {
  return {
    ...process.env,
    GIT_SSH_COMMAND: "ssh -o BatchMode=yes",
    ...options.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_ALLOW_PROTOCOL: allowedProtocols(options.allowFile),
  };
}

/** Run git from this process (no helper, or the helper is gone). */
async function spawnHere(args: ReadonlyArray<string>, timeoutMs: number, env: Record<string, string | undefined>): Promise<GitCall> {
  const child = execa("git", args, { env, extendEnv: false, stdin: "ignore", reject: false, detached: true, maxBuffer: 16 * 1024 * 1024 });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, timeoutMs);
  const result = await child.finally(() => clearTimeout(timer));
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), timedOut };
}

/** How this pass runs git: through the helper while it lives, else here. */
interface GitRunner {
  run(args: ReadonlyArray<string>, timeoutMs: number): Promise<GitCall>;
  close(): void;
}

function gitRunner(options: LsRemoteOptions): GitRunner {
  const env = gitEnv(options);
  let helper: GitHelper | undefined;
  let helperFailed = options.gitHelper === false;
  return {
    async run(args, timeoutMs) {
      if (!helperFailed) {
        try {
          helper ??= startGitHelper(env);
          return await helper.run(args, timeoutMs);
        } catch {
          helperFailed = true;
        }
      }
      return spawnHere(args, timeoutMs, env);
    },
    close: () => helper?.close(),
  };
}

async function lsRemoteOne(target: LsRemoteTarget, options: LsRemoteOptions, git: GitRunner, client?: HttpLsRemote): Promise<RemoteHead> {
  const patterns = refPatterns(target.branch);
  if (client && httpClientApplies(target.url, { ...process.env, ...options.env })) {
    const answer = await client.ask(target.url, patterns, target.branch);
    if (answer !== USE_GIT) return answer;
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_LS_REMOTE_TIMEOUT_MS;
  const result = await git.run(["-c", "credential.interactive=never", "ls-remote", "--", target.url, ...patterns], timeoutMs);
  if (result.timedOut) return { ok: false, kind: "timeout", message: `git ls-remote gave no answer within ${timeoutMs} ms` };
  if (result.exitCode !== 0) return classifyFailure(result.stderr, target.url);
  const commit = commitFrom(result.stdout, patterns);
  if (commit) return { ok: true, commit };
  const what = target.branch ? `branch or tag "${target.branch}"` : "HEAD";
  return { ok: false, kind: "not-found", message: redactLine(`${what} not found in ${target.url}`, secretsOf(target.url)) };
}

/**
 * The remote commit of each target (by key), or why there is none. Never rejects for a failed call: every
 * failure is a result ("dns", "tls", "auth", "not-found", "timeout", "other" with the first stderr line,
 * credentials redacted), and `select` builds those repositories.
 */
export async function lsRemote(targets: ReadonlyArray<LsRemoteTarget>, options: LsRemoteOptions = {}): Promise<Map<string, RemoteHead>> {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_LS_REMOTE_CONCURRENCY);
  const limit = pLimit(concurrency);
  const out = new Map<string, RemoteHead>();
  const client =
    options.http !== false && targets.some((t) => /^https?:/i.test(t.url))
      ? httpLsRemote({
          timeoutMs: options.timeoutMs ?? DEFAULT_LS_REMOTE_TIMEOUT_MS,
          connectionsPerHost: options.connectionsPerHost ?? concurrency,
          ...(options.env ? { env: options.env } : {}),
        })
      : undefined;
  const git = gitRunner(options);
  await Promise.all(
    targets.map((t) =>
      limit(async () => {
        try {
          out.set(t.key, await lsRemoteOne(t, options, git, client));
        } catch (error) {
          out.set(t.key, {
            ok: false,
            kind: "other",
            message: redactLine(String((error as Error).message).split("\n")[0] ?? "", secretsOf(t.url)),
          });
        }
      }),
    ),
  ).finally(() => {
    client?.close();
    git.close();
  });
  return out;
}
