import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CHUNKER_ENV, CHUNKER_SECRET_ENV_NAMES } from "@mass-ingest/contract";
import type { RedactingLogger } from "@mass-ingest/core";
import { prepareGitAuth } from "@mass-ingest/pipeline";

type Env = Readonly<Record<string, string | undefined>>;

/** The ls-remote pass's git environment and how to remove its credential files afterwards. */
export interface GitEnv {
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/**
 * The git credentials the processors use (GIT_CREDENTIALS, GIT_SSH_CREDENTIALS), written as the pipeline writes
 * them (0600 files in a 0700 temp folder, `credential.helper=store`, GIT_SSH_COMMAND) for the ls-remote pass.
 * Every secret value is registered with the logger first.
 */
export async function gitEnvFor(env: Env, logger: RedactingLogger): Promise<GitEnv> {
  for (const name of CHUNKER_SECRET_ENV_NAMES) {
    const value = env[name]?.trim();
    if (value) logger.addSecret(value);
  }
  const gitCredentials = env[CHUNKER_ENV.gitCredentials.name]?.trim() || undefined;
  const sshKey = env[CHUNKER_ENV.gitSshCredentials.name]?.trim() || undefined;
  if (!gitCredentials && !sshKey) return { env: {}, dispose: async () => {} };
  const dir = await mkdtemp(path.join(os.tmpdir(), "mass-ingest-ls-remote-"));
  const gitEnv = await prepareGitAuth({
    ...(gitCredentials ? { gitCredentials } : {}),
    ...(sshKey ? { sshKey } : {}),
    dir: path.join(dir, "auth"),
    redactor: { add: (v) => v && logger.addSecret(v), redact: (t) => t },
  });
  return { env: gitEnv, dispose: () => rm(dir, { recursive: true, force: true }) };
}
