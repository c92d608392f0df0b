/** The credentials git would send over HTTP(S): `GIT_CREDENTIALS`-style store lines, found the way git finds them. */
import { readFileSync } from "node:fs";

export interface BasicCredentials {
  user: string;
  password: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const originOf = (u: URL) => `${u.protocol}//${u.host}`.toLowerCase();

/** `https://user:token@host` lines (a git-credentials store file) by origin; the first line for an origin wins, as in git. */
export function parseCredentialStore(text: string): Map<string, BasicCredentials> {
  const out = new Map<string, BasicCredentials>();
  for (const line of text.split(/\r?\n/)) {
    try {
      const u = new URL(line.trim());
      if (!u.username || out.has(originOf(u))) continue;
      out.set(originOf(u), { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
    } catch {
      // not a URL line
    }
  }
  return out;
}

/**
 * The store files of `credential.helper=store --file=<f>` in the git environment the ls-remote pass is given
 * (GIT_CONFIG_COUNT/KEY_i/VALUE_i, as `prepareGitAuth` writes them), and whether another helper or GIT_ASKPASS is
 * configured (then a 401 is left to git itself).
 */
function storeFiles(env: Env): { files: string[]; otherHelpers: boolean } {
  const files: string[] = [];
  let otherHelpers = !!env.GIT_ASKPASS;
  const count = Number(env.GIT_CONFIG_COUNT ?? 0);
  for (let i = 0; i < count; i++) {
    if (env[`GIT_CONFIG_KEY_${i}`]?.toLowerCase() !== "credential.helper") continue;
    const m = /^store\s+--file[= ](.+)$/.exec(env[`GIT_CONFIG_VALUE_${i}`]?.trim() ?? "");
    if (m) files.push(m[1]!.replace(/^(["'])(.*)\1$/, "$2"));
    else otherHelpers = true;
  }
  return { files, otherHelpers };
}

export interface CredentialSource {
  /** Credentials for a clone URL: its own user info first, then the store lines of its origin. */
  forUrl(url: URL): BasicCredentials | undefined;
  /** Every secret value, to redact. */
  secrets: string[];
  /** A credential helper or askpass this client does not speak is configured: let git answer a 401. */
  otherHelpers: boolean;
}

/** The credentials of the ls-remote environment (the store files it names, read once) plus `extra` store lines. */
export function credentialSource(env: Env, extra?: string): CredentialSource {
  const { files, otherHelpers } = storeFiles(env);
  const texts = [extra ?? "", ...files.map((f) => readStoreFile(f))];
  const byOrigin = parseCredentialStore(texts.join("\n"));
  const secrets = [...byOrigin.values()].flatMap((c) => [c.password, encodeURIComponent(c.password)]).filter((s) => s.length >= 3);
  return {
    forUrl(url) {
      if (url.username) return { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
      return byOrigin.get(originOf(url));
    },
    secrets,
    otherHelpers,
  };
}

function readStoreFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
