import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SecretRedactor } from "./redact.js";

export interface GitAuthOptions {
  /** GIT_CREDENTIALS: contents of a git-credentials store file (`https://user:token@host` lines). */
  gitCredentials?: string;
  /** GIT_SSH_CREDENTIALS: a private key (PEM / OpenSSH). */
  sshKey?: string;
  /** Directory for the 0600 files (created 0700). */
  dir: string;
  /** Every password/token found is registered here. */
  redactor?: SecretRedactor;
}

/**
 * Write git credentials for the CLI's git calls and return the environment that makes git use them:
 * `credential.helper=store --file <0600 file>` through GIT_CONFIG_COUNT/KEY/VALUE (no global git config is
 * touched), and GIT_SSH_COMMAND with the key file for ssh remotes.
 */
export async function prepareGitAuth(options: GitAuthOptions): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  if (!options.gitCredentials && !options.sshKey) return env;
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  await chmod(options.dir, 0o700);
  const config: Array<[string, string]> = [];
  if (options.gitCredentials) {
    for (const line of options.gitCredentials.split(/\r?\n/)) {
      try {
        const u = new URL(line.trim());
        if (u.password) {
          options.redactor?.add(decodeURIComponent(u.password));
          options.redactor?.add(u.password);
        }
      } catch {
        // not a URL line: the whole-value redaction covers it
      }
    }
    options.redactor?.add(options.gitCredentials.trim());
    const file = path.join(options.dir, "git-credentials");
    const contents = options.gitCredentials.endsWith("\n") ? options.gitCredentials : `${options.gitCredentials}\n`;
    await writeFile(file, contents, { mode: 0o600 });
    await chmod(file, 0o600);
    config.push(["credential.helper", `store --file=${file}`]);
  }
  if (options.sshKey) {
    options.redactor?.add(options.sshKey.trim());
    const file = path.join(options.dir, "ssh-key");
    const contents = options.sshKey.endsWith("\n") ? options.sshKey : `${options.sshKey}\n`;
    await writeFile(file, contents, { mode: 0o600 });
    await chmod(file, 0o600);
    env.GIT_SSH_COMMAND = `ssh -i ${file} -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new`;
  }
  if (config.length > 0) {
    env.GIT_CONFIG_COUNT = String(config.length);
    config.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key;
      env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
  }
  return env;
}
