/** Reading `git ls-remote` output and errors. Pure. */
import { maskUserInfo, Redactor } from "@mass-ingest/core";
import type { LsRemoteErrorKind, RemoteHead } from "./select.js";

/** The patterns for a branch (heads, tags, peeled tags), or HEAD for the default branch. */
export function refPatterns(branch: string | undefined): string[] {
  const b = branch?.trim();
  if (!b) return ["HEAD"];
  if (b.startsWith("refs/")) return [b, `${b}^{}`];
  return [`refs/heads/${b}`, `refs/tags/${b}`, `refs/tags/${b}^{}`];
}

/** The commit for the first pattern that matched: a branch, else a peeled tag, else a tag, else HEAD. */
export function commitFrom(stdout: string, patterns: readonly string[]): string | undefined {
  const refs = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const [sha, name] = line.trim().split(/\s+/);
    if (sha && name && /^[0-9a-f]{40,64}$/.test(sha)) refs.set(name, sha);
  }
  for (const p of patterns) {
    if (p.endsWith("^{}")) continue;
    const sha = refs.get(`${p}^{}`) ?? refs.get(p);
    if (sha) return sha;
  }
  return undefined;
}

const KINDS: Array<[LsRemoteErrorKind, RegExp]> = [
  [
    "dns",
    /could not resolve host|name or service not known|temporary failure in name resolution|nodename nor servname|no address associated/i,
  ],
  ["tls", /ssl|tls|certificate|gnutls/i],
  [
    "auth",
    /\b40[13]\b|authentication failed|could not read username|could not read password|terminal prompts disabled|permission denied|access denied(?! or repository not exported)|invalid username or password/i,
  ],
  ["not-found", /\b404\b|not found|does not appear to be a git repository|repository not exported|no such repository|does not exist/i],
];

/** Credentials out of a line: URL user info (core's maskUserInfo) and the given secrets (Redactor: 4+ characters) become `***`. */
export function redactLine(line: string, secrets: readonly string[] = []): string {
  return new Redactor(secrets).redact(maskUserInfo(line));
}

/** The user name and password of a URL (to redact them wherever git echoes them). */
export function secretsOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.username, u.password, decodeURIComponent(u.username), decodeURIComponent(u.password)].filter((s) => s.length > 0);
  } catch {
    return [];
  }
}

/** The kind of a failed ls-remote and its first stderr line (credentials redacted). */
export function classifyFailure(stderr: string, url: string): Extract<RemoteHead, { ok: false }> {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const all = lines.join("\n");
  // git:// and ssh put the reason on a later line ("fatal: unable to connect to h:" then "h[0: 1.2.3.4]: errno=Connection refused")
  const errno = /errno=([^\n]+)/.exec(all)?.[0];
  const head = lines[0] ?? "git ls-remote failed without a message";
  const first = redactLine(errno && !head.includes(errno) ? `${head} ${errno}` : head, secretsOf(url));
  const kind = KINDS.find(([, re]) => re.test(all))?.[0] ?? "other";
  return { ok: false, kind, message: first };
}
