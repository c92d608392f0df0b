/** Clone URL parts and the small scanners the checks share. */
import { ISSUE_CODES } from "../errors.js";

/** A clone URL split into parts. */
export interface CloneUrlParts {
  /** "https", "http", "ssh", "git", "file"; "ssh" for scp-style `user@host:path`. */
  scheme: string;
  /** True for scp-style `[user@]host:path`. */
  scp: boolean;
  user?: string;
  /** Host as written ("" for file URLs without a host). */
  host: string;
  /** Port when one is written. */
  port?: number;
  /** Path after the host, without the leading "/", query and fragment. */
  path: string;
}

/** Result of `checkCloneUrl`: the parts, or why git must not be handed this URL. */
export type CloneUrlCheck = { ok: true; parts: CloneUrlParts } | { ok: false; code: string; reason: string; hint: string };

// eslint-disable-next-line no-control-regex
export const SPACE_OR_CONTROL = /[\u0000-\u0020\u007f]/;
// scheme://[user@]host[:port]/path with nothing unusual: no whitespace, control characters, "?", "#" or "\\".
export const COMMON_URL =
  // eslint-disable-next-line no-control-regex
  /^(https|http|ssh|git):\/\/(?:([A-Za-z0-9._~%!$&'()*+;=][A-Za-z0-9._~%!$&'()*+;=:-]*)@)?([A-Za-z0-9._~%][A-Za-z0-9._~%-]*)(?::([0-9]{1,5}))?\/([^\u0000-\u0020\u007f?#\\]*)$/;
const PLAIN_HOST = /^[A-Za-z0-9._~%][A-Za-z0-9._~%-]*$/;
export const ALLOWED_SCHEMES = new Set(["https", "http", "ssh", "git"]);

export function fail(code: string, reason: string, hint: string): CloneUrlCheck {
  return { ok: false, code, reason, hint };
}

export function isSchemeChar(c: number, first: boolean): boolean {
  const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (first) return alpha;
  return alpha || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
}

/** Host names: letters, digits, ".", "-", "_", "~", "%"; or a bracketed IPv6 literal. Never starting with "-". */
export function hostProblem(host: string): string | undefined {
  if (PLAIN_HOST.test(host)) return undefined; // the usual case
  if (host.length === 0) return "has no host";
  if (host.charCodeAt(0) === 0x2d) return 'has a host starting with "-" (would be read as an ssh option)';
  if (host.charCodeAt(0) === 0x5b) {
    return /^\[[0-9A-Fa-f:.]+\]$/.test(host) ? undefined : "has an invalid IPv6 host";
  }
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x2e ||
      c === 0x2d ||
      c === 0x5f ||
      c === 0x7e ||
      c === 0x25;
    if (!ok) return `has an invalid character "${host[i]}" in the host`;
  }
  return undefined;
}

/** The failure for a `hostProblem`: a host starting with "-" is option injection, anything else an invalid URL. */
export function hostFailure(problem: string, hint: string): CloneUrlCheck {
  return fail(problem.includes('"-"') ? ISSUE_CODES.OPTION_INJECTION : ISSUE_CODES.INVALID_CLONE_URL, problem, hint);
}

/** The scheme before "://" (ending at `end`), lower-cased; the common ones without allocating. */
export function knownScheme(value: string, end: number): string {
  if (end === 5 && value.startsWith("https")) return "https";
  if (end === 4 && value.startsWith("http")) return "http";
  if (end === 3 && value.startsWith("ssh")) return "ssh";
  if (end === 3 && value.startsWith("git")) return "git";
  return value.slice(0, end).toLowerCase();
}

export function firstOf(s: string, a: string, b: string): number {
  const i = s.indexOf(a);
  const j = s.indexOf(b);
  return i < 0 ? j : j < 0 ? i : Math.min(i, j);
}

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

export function onlySlashes(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 0x2f) return false;
  return true;
}

export function stripQueryAndFragment(path: string): string {
  let end = path.length;
  const q = path.indexOf("?");
  if (q >= 0) end = q;
  const h = path.indexOf("#");
  if (h >= 0 && h < end) end = h;
  return end === path.length ? path : path.slice(0, end);
}

export const HINT_SCHEMES = "Use an https://, http://, ssh://, git:// or scp-style (git@host:org/repo.git) clone URL.";
