import { SECRET_ENV_NAMES } from "@mass-ingest/contract";
import { execa } from "execa";

/** What a tool run gave. */
export interface ToolRun {
  /** Exit code; undefined when it did not start, timed out or was killed. */
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** The executable does not exist (ENOENT). */
  notFound: boolean;
  timedOut: boolean;
}

export interface ToolOptions {
  env?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The environment without the secret settings: tools never see PUBLISH_PASSWORD, GIT_CREDENTIALS, ... */
export function withoutSecrets(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out = { ...env };
  for (const name of SECRET_ENV_NAMES) delete out[name];
  return out;
}

/** Run `command args` without a shell and without the secret settings in its environment; never throws, never prompts. */
export async function runTool(command: string, args: readonly string[], options: ToolOptions = {}): Promise<ToolRun> {
  const result = await execa(command, [...args], {
    reject: false,
    stdin: "ignore",
    extendEnv: false,
    env: withoutSecrets(options.env ?? process.env),
    timeout: options.timeoutMs ?? 20_000,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    forceKillAfterDelay: 2_000,
    stripFinalNewline: true,
    maxBuffer: 1_000_000,
  });
  const code = (result as { code?: string }).code;
  return {
    ...(typeof result.exitCode === "number" && !result.timedOut ? { exitCode: result.exitCode } : {}),
    stdout: String(result.stdout ?? ""),
    stderr: String(result.stderr ?? ""),
    notFound: code === "ENOENT" || (result.exitCode === undefined && /ENOENT/.test(String(result.message ?? ""))),
    timedOut: result.timedOut === true,
  };
}

/** The first non-blank line of a text. */
export function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .find((line) => line.trim() !== "")
      ?.trim() ?? ""
  );
}

/** Bytes as "12.3 GiB". */
export function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
