import { spawn } from "node:child_process";

/** A step of the consumer check failed; `output` holds what the command printed (never a secret). */
export class ConsumerCheckError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly output?: string;

  constructor(code: string, message: string, options: { hint?: string; output?: string } = {}) {
    const parts = [message];
    if (options.hint) parts.push(`hint: ${options.hint}`);
    if (options.output) parts.push(`--- output ---\n${options.output.trimEnd()}`);
    super(parts.join("\n"));
    this.name = "ConsumerCheckError";
    this.code = code;
    this.hint = options.hint;
    this.output = options.output;
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived, for error messages. */
  output: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the process (group) after this long; default 120 s. */
  timeoutMs?: number;
}

/**
 * Run a command without a shell, capture its output, and kill its whole process group if it outlives
 * `timeoutMs`. Never rejects for a non-zero exit: callers decide (see {@link runOk}).
 */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      output += d.toString();
    });
    const timer = setTimeout(() => {
      output += `\n[killed after ${options.timeoutMs ?? 120_000} ms]`;
      killGroup(child.pid);
    }, options.timeoutMs ?? 120_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output });
    });
  });
}

/** {@link run}, throwing {@link ConsumerCheckError} (with the output) unless the command exits 0. */
export async function runOk(
  step: string,
  command: string,
  args: readonly string[],
  options: RunOptions & { hint?: string },
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new ConsumerCheckError("STEP_FAILED", `${step}: \`${[command, ...args].join(" ")}\` in ${options.cwd} exited ${result.code}`, {
      hint: options.hint,
      output: result.output.slice(-20_000),
    });
  }
  return result;
}

/** SIGKILL a detached child's whole process group (ignores groups that are already gone). */
function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * A clean environment for npm/pnpm children: no npm_config_* / pnpm settings inherited from the
 * `pnpm test` that started us (they would point npm at the workspace), no update notifier, no audit.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (k.startsWith("npm_") || k.startsWith("pnpm_") || k === "node_options" || k === "init_cwd") continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    npm_config_loglevel: "warn",
    ...extra,
  };
}
