/**
 * Clone URL checks (which transports git may use) and origin/path derivation the way Moderne does it
 * (OpenRewrite's GitRemote.Parser: known hosts keep the whole path; otherwise the last two path segments
 * are org/repo and everything before them, host and context path, is the origin).
 */
import { ERROR_CODES, ISSUE_CODES, PartitionError } from "./errors.js";

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
export type CloneUrlCheck =
  | { ok: true; parts: CloneUrlParts }
  | { ok: false; code: string; reason: string; hint: string };

// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\u0000-\u0020\u007f]/;
// scheme://[user@]host[:port]/path with nothing unusual: no whitespace, control characters, "?", "#" or "\\".
// eslint-disable-next-line no-control-regex
const COMMON_URL = /^(https|http|ssh|git):\/\/(?:([A-Za-z0-9._~%!$&'()*+;=][A-Za-z0-9._~%!$&'()*+;=:-]*)@)?([A-Za-z0-9._~%][A-Za-z0-9._~%-]*)(?::([0-9]{1,5}))?\/([^\u0000-\u0020\u007f?#\\]*)$/;
const PLAIN_HOST = /^[A-Za-z0-9._~%][A-Za-z0-9._~%-]*$/;
const ALLOWED_SCHEMES = new Set(["https", "http", "ssh", "git"]);
const DEFAULT_PORTS: Record<string, number> = { https: 443, http: 80, ssh: 22, git: 9418 };

function fail(code: string, reason: string, hint: string): CloneUrlCheck {
  return { ok: false, code, reason, hint };
}

function isSchemeChar(c: number, first: boolean): boolean {
  const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (first) return alpha;
  return alpha || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
}

/** Host names: letters, digits, ".", "-", "_", "~", "%"; or a bracketed IPv6 literal. Never starting with "-". */
function hostProblem(host: string): string | undefined {
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
function hostFailure(problem: string, hint: string): CloneUrlCheck {
  return fail(problem.includes('"-"') ? ISSUE_CODES.OPTION_INJECTION : ISSUE_CODES.INVALID_CLONE_URL, problem, hint);
}

/** The scheme before "://" (ending at `end`), lower-cased; the common ones without allocating. */
function knownScheme(value: string, end: number): string {
  if (end === 5 && value.startsWith("https")) return "https";
  if (end === 4 && value.startsWith("http")) return "http";
  if (end === 3 && value.startsWith("ssh")) return "ssh";
  if (end === 3 && value.startsWith("git")) return "git";
  return value.slice(0, end).toLowerCase();
}

function firstOf(s: string, a: string, b: string): number {
  const i = s.indexOf(a);
  const j = s.indexOf(b);
  return i < 0 ? j : j < 0 ? i : Math.min(i, j);
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function onlySlashes(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 0x2f) return false;
  return true;
}

function stripQueryAndFragment(path: string): string {
  let end = path.length;
  const q = path.indexOf("?");
  if (q >= 0) end = q;
  const h = path.indexOf("#");
  if (h >= 0 && h < end) end = h;
  return end === path.length ? path : path.slice(0, end);
}

const HINT_SCHEMES = "Use an https://, http://, ssh://, git:// or scp-style (git@host:org/repo.git) clone URL.";

/**
 * Check a clone URL the way a careful git caller must: only https, http, ssh, git and scp-style
 * (`file://` only with `allowFileUrls`), no remote helpers (`ext::`), nothing git could read as an option.
 */
export function checkCloneUrl(value: string, allowFileUrls = false): CloneUrlCheck {
  // Fast path for the usual https/http/ssh/git URL; anything unusual goes through the full check below,
  // which accepts exactly the same URLs and says why others are refused.
  const m = COMMON_URL.exec(value);
  if (m !== null) {
    const path = m[5] as string;
    const portText = m[4];
    const port = portText === undefined ? undefined : Number(portText);
    if (!onlySlashes(path) && (port === undefined || (port >= 1 && port <= 65535))) {
      const parts: CloneUrlParts = { scheme: m[1] as string, scp: false, host: m[3] as string, path };
      if (m[2] !== undefined) parts.user = m[2];
      if (port !== undefined) parts.port = port;
      return { ok: true, parts };
    }
  }
  if (value.length === 0) return fail(ISSUE_CODES.MISSING_CLONE_URL, "is empty", "Fill in the repository's clone URL.");
  if (value.charCodeAt(0) === 0x2d) {
    return fail(ISSUE_CODES.OPTION_INJECTION, 'starts with "-" (git would read it as an option)', HINT_SCHEMES);
  }
  // scheme: "<scheme>://" or remote helper "<transport>::<address>"
  let i = 0;
  while (i < value.length && isSchemeChar(value.charCodeAt(i), i === 0)) i++;
  if (i > 0 && value.startsWith("::", i)) {
    return fail(
      ISSUE_CODES.REMOTE_HELPER_TRANSPORT,
      `uses the "${value.slice(0, i)}::" remote-helper transport, which can run arbitrary commands`,
      HINT_SCHEMES,
    );
  }
  const bad = value.search(SPACE_OR_CONTROL);
  if (bad >= 0) {
    return fail(
      ISSUE_CODES.INVALID_CLONE_URL,
      value.charCodeAt(bad) === 0x20 ? "contains a space" : "contains a control character",
      "Remove the whitespace/control characters; percent-encode them if they really are part of the URL.",
    );
  }
  if (i > 0 && value.startsWith("://", i)) {
    const scheme = knownScheme(value, i);
    if (scheme === "file") {
      if (!allowFileUrls) {
        return fail(
          ISSUE_CODES.UNSUPPORTED_URL_SCHEME,
          "is a file:// URL, which is only allowed for local use",
          "Use a remote clone URL, or opt in with allowFileUrls / --allow-file-urls for local runs.",
        );
      }
    } else if (!ALLOWED_SCHEMES.has(scheme)) {
      return fail(ISSUE_CODES.UNSUPPORTED_URL_SCHEME, `uses the unsupported scheme "${scheme}://"`, HINT_SCHEMES);
    }
    const authStart = i + 3;
    let authEnd = value.indexOf("/", authStart);
    if (authEnd < 0) authEnd = value.length;
    let authority = value.slice(authStart, authEnd);
    const q = firstOf(authority, "?", "#");
    if (q >= 0) authority = authority.slice(0, q);
    const path = stripQueryAndFragment(value.slice(Math.min(authEnd + 1, value.length)));
    let user: string | undefined;
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      user = authority.slice(0, at);
      authority = authority.slice(at + 1);
      if (user.charCodeAt(0) === 0x2d) {
        return fail(ISSUE_CODES.OPTION_INJECTION, 'has a user name starting with "-" (would be read as an option)', HINT_SCHEMES);
      }
    }
    let host = authority;
    let port: number | undefined;
    const colon = authority.lastIndexOf(":");
    if (colon >= 0 && colon > authority.lastIndexOf("]")) {
      host = authority.slice(0, colon);
      const portText = authority.slice(colon + 1);
      if (portText.length > 0) {
        port = portText.length <= 5 && isDigits(portText) ? Number(portText) : NaN;
        if (!(port >= 1 && port <= 65535)) {
          return fail(ISSUE_CODES.INVALID_CLONE_URL, `has an invalid port "${portText}"`, "Use a port between 1 and 65535.");
        }
      }
    }
    if (scheme === "file") {
      if (host !== "" && host !== "localhost") {
        return fail(ISSUE_CODES.INVALID_CLONE_URL, "is a file:// URL with a remote host", "Use file:///absolute/path.");
      }
    } else {
      const hp = hostProblem(host);
      if (hp !== undefined) return hostFailure(hp, "Write the URL as scheme://[user@]host[:port]/org/repo.git.");
    }
    if (onlySlashes(path)) {
      return fail(ISSUE_CODES.INVALID_CLONE_URL, "has no repository path", "Write the URL as scheme://host/org/repo.git.");
    }
    const parts: CloneUrlParts = { scheme, scp: false, host, path };
    if (user !== undefined) parts.user = user;
    if (port !== undefined) parts.port = port;
    return { ok: true, parts };
  }
  if (value.indexOf("://") >= 0) {
    return fail(ISSUE_CODES.INVALID_CLONE_URL, "has an invalid scheme", HINT_SCHEMES);
  }
  // scp-style: [user@]host:path, where the first ":" comes before any "/" (git's own rule).
  const colon = value.startsWith("[") ? value.indexOf(":", value.indexOf("]")) : value.indexOf(":");
  const slash = value.indexOf("/");
  if (colon > 0 && (slash < 0 || colon < slash)) {
    let authority = value.slice(0, colon);
    const path = value.slice(colon + 1);
    let user: string | undefined;
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      user = authority.slice(0, at);
      authority = authority.slice(at + 1);
      if (user.length === 0 || user.charCodeAt(0) === 0x2d) {
        return fail(
          user.length === 0 ? ISSUE_CODES.INVALID_CLONE_URL : ISSUE_CODES.OPTION_INJECTION,
          user.length === 0 ? "has an empty user name" : 'has a user name starting with "-" (would be read as an option)',
          "Write scp-style URLs as git@host:org/repo.git.",
        );
      }
    }
    const hp = hostProblem(authority);
    if (hp !== undefined) return hostFailure(hp, "Write scp-style URLs as git@host:org/repo.git.");
    if (authority.length === 1 && /[A-Za-z]/.test(authority) && user === undefined) {
      return fail(ISSUE_CODES.UNSUPPORTED_URL_SCHEME, "is a local (Windows drive) path", HINT_SCHEMES);
    }
    if (onlySlashes(path)) {
      return fail(ISSUE_CODES.INVALID_CLONE_URL, "has no repository path", "Write scp-style URLs as git@host:org/repo.git.");
    }
    const parts: CloneUrlParts = { scheme: "ssh", scp: true, host: authority, path: stripQueryAndFragment(path) };
    if (user !== undefined) parts.user = user;
    return { ok: true, parts };
  }
  return fail(
    ISSUE_CODES.UNSUPPORTED_URL_SCHEME,
    "is a local path, not a clone URL",
    allowFileUrls ? "Write local repositories as file:///absolute/path." : HINT_SCHEMES,
  );
}

const KNOWN_ORIGINS = new Set(["github.com", "gitlab.com", "bitbucket.org", "dev.azure.com", "ssh.dev.azure.com"]);

/**
 * Derive origin and path from already checked URL parts; undefined when the URL has no repository path.
 */
export function deriveFromParts(parts: CloneUrlParts): { origin: string; path: string } | undefined {
  let path = parts.path;
  while (path.charCodeAt(0) === 0x2f) path = path.slice(1);
  while (path.length > 0 && path.charCodeAt(path.length - 1) === 0x2f) path = path.slice(0, -1);
  if (path.endsWith(".git")) path = path.slice(0, -4);
  if (path.length === 0) return undefined;
  let hostPort = parts.host;
  if (parts.port !== undefined && parts.port !== DEFAULT_PORTS[parts.scheme]) hostPort += `:${parts.port}`;
  if (parts.scheme === "file") {
    const segments = path.split("/");
    if (segments.length <= 2) return { origin: hostPort || "localhost", path };
    return { origin: segments.slice(0, -2).join("/"), path: segments.slice(-2).join("/") };
  }
  const known = KNOWN_ORIGINS.has(hostPort) ? hostPort : hostPort.toLowerCase();
  if (KNOWN_ORIGINS.has(known)) {
    if (known === "ssh.dev.azure.com") {
      return { origin: "dev.azure.com", path: path.startsWith("v3/") ? path.slice(3) : path };
    }
    if (known === "dev.azure.com") return { origin: hostPort, path: path.replace("/_git/", "/") };
    return { origin: hostPort, path };
  }
  const last = path.lastIndexOf("/");
  const orgStart = last <= 0 ? -1 : path.lastIndexOf("/", last - 1);
  if (orgStart < 0) return { origin: hostPort, path }; // one or two segments: all of it is the path
  let contextEnd = orgStart;
  // Bitbucket Server / Data Center: https://host[/context]/scm/PROJECT/repo.git -> origin host[/context].
  if (
    !parts.scp &&
    (parts.scheme === "https" || parts.scheme === "http") &&
    contextEnd >= 3 &&
    path.startsWith("scm", contextEnd - 3) &&
    (contextEnd === 3 || path.charCodeAt(contextEnd - 4) === 0x2f)
  ) {
    contextEnd = contextEnd === 3 ? 0 : contextEnd - 4;
  }
  return {
    origin: contextEnd > 0 ? `${hostPort}/${path.slice(0, contextEnd)}` : hostPort,
    path: path.slice(orgStart + 1),
  };
}

/**
 * Derive origin and path from a clone URL the way Moderne does:
 * - github.com, gitlab.com, bitbucket.org: origin is the host, path is everything after it ("group/sub/repo");
 * - Azure DevOps: `dev.azure.com/org/project/_git/repo` and `ssh.dev.azure.com:v3/org/project/repo` -> "dev.azure.com", "org/project/repo";
 * - any other host: the last two segments are the path ("org/repo"), host (with a non-default port) and any
 *   context path before them are the origin ("mycompany.com/bitbucket"); Bitbucket Server's `/scm/` is dropped.
 * `.git` and trailing slashes are removed. Throws PartitionError "INVALID_ARGUMENT" when the URL is not acceptable.
 */
export function deriveOriginAndPath(cloneUrl: string): { origin: string; path: string } {
  const check = checkCloneUrl(cloneUrl, true);
  if (!check.ok) {
    throw new PartitionError(ERROR_CODES.INVALID_ARGUMENT, `Cannot derive origin/path: the clone URL ${check.reason}.`, {
      hint: check.hint,
    });
  }
  const derived = deriveFromParts(check.parts);
  if (derived === undefined) {
    throw new PartitionError(ERROR_CODES.INVALID_ARGUMENT, "Cannot derive origin/path: the clone URL has no repository path.", {
      hint: "Write the URL as scheme://host/org/repo.git.",
    });
  }
  return derived;
}
