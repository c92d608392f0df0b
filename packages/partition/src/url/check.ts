/** Clone URL checks: which transports git may be handed, and nothing it could read as an option. */
import { ISSUE_CODES } from "../errors.js";
import {
  ALLOWED_SCHEMES,
  COMMON_URL,
  HINT_SCHEMES,
  SPACE_OR_CONTROL,
  fail,
  firstOf,
  hostFailure,
  hostProblem,
  isDigits,
  isSchemeChar,
  knownScheme,
  onlySlashes,
  stripQueryAndFragment,
  type CloneUrlCheck,
  type CloneUrlParts,
} from "./parts.js";

export type { CloneUrlCheck, CloneUrlParts } from "./parts.js";

/** The usual https/http/ssh/git URL, without allocating much; undefined for anything unusual. */
function commonUrl(value: string): CloneUrlCheck | undefined {
  const m = COMMON_URL.exec(value);
  if (m === null) return undefined;
  const path = m[5] as string;
  const portText = m[4];
  const port = portText === undefined ? undefined : Number(portText);
  if (onlySlashes(path) || (port !== undefined && !(port >= 1 && port <= 65535))) return undefined;
  const parts: CloneUrlParts = { scheme: m[1] as string, scp: false, host: m[3] as string, path };
  if (m[2] !== undefined) parts.user = m[2];
  if (port !== undefined) parts.port = port;
  return { ok: true, parts };
}

/** Split `[user@]host[:port]` of a scheme URL; a failure for a bad user or port. */
function splitAuthority(authority: string): CloneUrlCheck | { user?: string; host: string; port?: number } {
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
  return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
}

/** `<scheme>://...` where the scheme ends at `end`. */
function schemeUrl(value: string, end: number, allowFileUrls: boolean): CloneUrlCheck {
  const scheme = knownScheme(value, end);
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
  const authStart = end + 3;
  let authEnd = value.indexOf("/", authStart);
  if (authEnd < 0) authEnd = value.length;
  let authority = value.slice(authStart, authEnd);
  const q = firstOf(authority, "?", "#");
  if (q >= 0) authority = authority.slice(0, q);
  const path = stripQueryAndFragment(value.slice(Math.min(authEnd + 1, value.length)));
  const split = splitAuthority(authority);
  if ("ok" in split) return split;
  if (scheme === "file") {
    if (split.host !== "" && split.host !== "localhost") {
      return fail(ISSUE_CODES.INVALID_CLONE_URL, "is a file:// URL with a remote host", "Use file:///absolute/path.");
    }
  } else {
    const hp = hostProblem(split.host);
    if (hp !== undefined) return hostFailure(hp, "Write the URL as scheme://[user@]host[:port]/org/repo.git.");
  }
  if (onlySlashes(path)) {
    return fail(ISSUE_CODES.INVALID_CLONE_URL, "has no repository path", "Write the URL as scheme://host/org/repo.git.");
  }
  return { ok: true, parts: { scheme, scp: false, ...split, path } };
}

/** scp-style `[user@]host:path`, where the first ":" comes before any "/" (git's own rule); undefined otherwise. */
function scpUrl(value: string): CloneUrlCheck | undefined {
  const colon = value.startsWith("[") ? value.indexOf(":", value.indexOf("]")) : value.indexOf(":");
  const slash = value.indexOf("/");
  if (!(colon > 0 && (slash < 0 || colon < slash))) return undefined;
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

/** User names longer than this before "@" in an http(s) URL are taken for a token (`https://TOKEN@host`). */
const TOKEN_USER_LENGTH = 20;

/** Where a credential goes instead of the clone URL. */
export const HINT_CREDENTIALS =
  "Remove the credential from the clone URL and put it in GIT_CREDENTIALS (lines of https://user:token@host), which the processor keeps in a file only it can read.";

/**
 * A credential in the URL (`user:password@`, or a token as the user of an http(s) URL): refused, because repos.csv
 * is copied into work directories, csvs handed to every `mod git sync`, plans and logs that builds can reach.
 */
function credentialFailure(parts: CloneUrlParts): CloneUrlCheck | undefined {
  const user = parts.user;
  if (user === undefined) return undefined;
  const web = parts.scheme === "https" || parts.scheme === "http";
  if (user.includes(":")) return fail(ISSUE_CODES.CREDENTIALS_IN_URL, "holds a password (user:password@)", HINT_CREDENTIALS);
  if (web && user.length > TOKEN_USER_LENGTH)
    return fail(ISSUE_CODES.CREDENTIALS_IN_URL, "holds what looks like a token (TOKEN@)", HINT_CREDENTIALS);
  return undefined;
}

/**
 * Check a clone URL the way a careful git caller must: only https, http, ssh, git and scp-style
 * (`file://` only with `allowFileUrls`), no remote helpers (`ext::`), nothing git could read as an option, and no
 * credential in the URL (CREDENTIALS_IN_URL: they belong in GIT_CREDENTIALS).
 */
export function checkCloneUrl(value: string, allowFileUrls = false): CloneUrlCheck {
  const check = parseCloneUrl(value, allowFileUrls);
  return (check.ok && credentialFailure(check.parts)) || check;
}

/** checkCloneUrl without the credential check (for deriving origin and path of any URL git accepts). */
export function parseCloneUrl(value: string, allowFileUrls: boolean): CloneUrlCheck {
  // Fast path for the usual URL; anything unusual goes through the full check below, which accepts exactly
  // the same URLs and says why others are refused.
  const common = commonUrl(value);
  if (common !== undefined) return common;
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
  if (i > 0 && value.startsWith("://", i)) return schemeUrl(value, i, allowFileUrls);
  if (value.indexOf("://") >= 0) return fail(ISSUE_CODES.INVALID_CLONE_URL, "has an invalid scheme", HINT_SCHEMES);
  return (
    scpUrl(value) ??
    fail(
      ISSUE_CODES.UNSUPPORTED_URL_SCHEME,
      "is a local path, not a clone URL",
      allowFileUrls ? "Write local repositories as file:///absolute/path." : HINT_SCHEMES,
    )
  );
}
