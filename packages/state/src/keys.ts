/** Repository keys (what the state remembers a repository by) and build fingerprints. Pure. */
import { createHash } from "node:crypto";

const DEFAULT_PORTS: Readonly<Record<string, string>> = { "https:": "443", "http:": "80", "ssh:": "22", "git:": "9418" };
// git@host:org/repo (scp-like): no "://", a ":" before the first "/", not a Windows drive letter.
const SCP_LIKE = /^(?:[^@/:]+@)?([^:/]+):(?!\/\/)(.+)$/;

function trimRepoPath(path: string): string {
  let p = path;
  for (;;) {
    const next = p.replace(/\/+$/, "").replace(/\.git$/i, "");
    if (next === p) return p;
    p = next;
  }
}

/**
 * The clone URL as the state knows it: scheme and host lower-case, user info, default port, query, fragment,
 * trailing "/" and ".git" dropped; `git@host:org/repo` becomes `ssh://host/org/repo`. Anything that is no URL
 * (a local path) only loses its trailing "/" and ".git".
 */
export function normalizeCloneUrl(cloneUrl: string): string {
  const raw = cloneUrl.trim();
  if (!raw.includes("://")) {
    const scp = SCP_LIKE.exec(raw);
    if (scp && !/^[a-z]$/i.test(scp[1] as string)) {
      return `ssh://${(scp[1] as string).toLowerCase()}/${trimRepoPath((scp[2] as string).replace(/^\/+/, ""))}`;
    }
    return trimRepoPath(raw);
  }
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return trimRepoPath(raw);
  }
  const protocol = u.protocol.toLowerCase();
  const port = u.port && u.port !== DEFAULT_PORTS[protocol] ? `:${u.port}` : "";
  return `${protocol}//${u.hostname.toLowerCase()}${port}${trimRepoPath(decodeURI(u.pathname))}`;
}

/** A row's pin: a branch (empty: the default branch) and/or a changeset (a commit). */
export interface RepoRef {
  branch?: string;
  changeset?: string;
}

/**
 * The key the state remembers a repository by: the normalized clone URL, `#branch` when a branch is given and
 * `@changeset` when a changeset is. Empty strings count as not given (the default branch).
 * @example repoKey("git@GitHub.com:org/repo.git", { branch: "main" }) // "ssh://github.com/org/repo#main"
 */
export function repoKey(cloneUrl: string, ref: RepoRef = {}): string {
  const branch = ref.branch?.trim() ?? "";
  const changeset = ref.changeset?.trim() ?? "";
  return `${normalizeCloneUrl(cloneUrl)}${branch ? `#${branch}` : ""}${changeset ? `@${changeset}` : ""}`;
}

/** What decides the LST besides the commit. Absent fields count as empty. */
export interface FingerprintInput {
  /** Moderne CLI version (`mod --version`). */
  cliVersion?: string;
  java?: string;
  jvmOpts?: string;
  mavenArgs?: string;
  gradleArgs?: string;
}

/** Hex characters of a fingerprint (64 bits of sha256: collisions are not a practical concern here). */
const FINGERPRINT_LENGTH = 16;

/** A stable short sha256 hex of exactly the fields of {@link FingerprintInput}, in a fixed order. */
export function fingerprint(input: FingerprintInput): string {
  const fields = [input.cliVersion, input.java, input.jvmOpts, input.mavenArgs, input.gradleArgs].map((v) => v ?? "");
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex").slice(0, FINGERPRINT_LENGTH);
}

/** sha256 hex of text or bytes (the csv checksum of a run manifest). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** FNV-1a (32 bit) of a string: a stable per-key hash (the same across runs and machines), for spreading keys. */
export function keyHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Full shas compare equal; an abbreviated changeset matches the full sha it starts (7+ characters). */
export function sameCommit(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  return Math.min(x.length, y.length) >= 7 && (x.startsWith(y) || y.startsWith(x));
}
