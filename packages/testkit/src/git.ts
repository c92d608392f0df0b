import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Environment for git commands the kit runs itself: no user/system config, fixed identity, never prompts. */
export function isolatedGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("GIT_")) delete env[key];
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "testkit",
    GIT_AUTHOR_EMAIL: "testkit@example.invalid",
    GIT_COMMITTER_NAME: "testkit",
    GIT_COMMITTER_EMAIL: "testkit@example.invalid",
    ...extra,
  };
}

/** Run git with the isolated environment; resolves to trimmed stdout, rejects with stderr in the message. */
export async function git(args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync("git", args, { cwd, env: isolatedGitEnv(env), maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${e.stderr?.trim() || e.message}`);
  }
}

/** Write `files` (relative path -> content) below `dir`, creating folders. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(dir, rel);
    if (!target.startsWith(dir + path.sep)) throw new Error(`file path escapes the repository: ${rel}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}
