/**
 * Origin and path derivation the way Moderne does it: a port of the rule of OpenRewrite's `GitRemote.Parser`
 * (rewrite-core `org.openrewrite.GitRemote`) with only its built-in servers registered, written from its
 * behaviour and published test cases:
 * - github.com, gitlab.com, bitbucket.org over https or ssh: origin is the host, the path is everything after it;
 * - Azure DevOps: `https://dev.azure.com/org/project/_git/repo` and `git@ssh.dev.azure.com:v3/org/project/repo`
 *   give origin `dev.azure.com` and path `org/project/repo`;
 * - any other remote (unregistered): the last two path segments are the path, and host, port (unless the
 *   scheme's default: https 443, http 80, ssh 22) and every segment before them are the origin; nothing is
 *   dropped, except Bitbucket Data Center's `scm` segment right before `project/repo`: its origin is the host and
 *   context root (repos.csv docs: `mycompany.com/bitbucket`), so `https://mycompany.com/bitbucket/scm/org/repo.git`
 *   gives `mycompany.com/bitbucket` + `org/repo` (as OpenRewrite's Bitbucket Server support cleans it).
 * Host names of the built-in servers compare case-insensitively; the path keeps its case.
 */
import { ERROR_CODES, PartitionError } from "../errors.js";
import { parseCloneUrl } from "./check.js";
import type { CloneUrlParts } from "./parts.js";

/** The parser's default ports; git:// has none there, so a written 9418 stays in the origin. */
const DEFAULT_PORTS: Record<string, number> = { https: 443, http: 80, ssh: 22 };

/** The servers the parser registers itself, by lower-cased host: the origin they give. */
const BUILT_IN_SERVERS: Record<string, string> = {
  "github.com": "github.com",
  "gitlab.com": "gitlab.com",
  "bitbucket.org": "bitbucket.org",
  "dev.azure.com": "dev.azure.com",
  "ssh.dev.azure.com": "dev.azure.com",
};

/** The URL path without leading and trailing slashes and without ".git" (any case). */
function repositoryPath(urlPath: string): string {
  let start = 0;
  let end = urlPath.length;
  while (start < end && urlPath.charCodeAt(start) === 0x2f) start++;
  while (end > start && urlPath.charCodeAt(end - 1) === 0x2f) end--;
  if (end - start >= 4 && urlPath.slice(end - 4, end).toLowerCase() === ".git") end -= 4;
  return urlPath.slice(start, end);
}

/** Origin and path on a built-in server, or undefined when the URL is not one (other scheme, host or port). */
function builtInServer(parts: CloneUrlParts, path: string): { origin: string; path: string } | undefined {
  if (parts.scheme !== "https" && parts.scheme !== "ssh") return undefined;
  if (parts.port !== undefined && parts.port !== DEFAULT_PORTS[parts.scheme]) return undefined;
  const host = parts.host.toLowerCase();
  const origin = BUILT_IN_SERVERS[host];
  if (origin === undefined) return undefined;
  // Azure DevOps is registered as https://dev.azure.com and ssh://ssh.dev.azure.com only
  if ((host === "ssh.dev.azure.com" && parts.scheme !== "ssh") || (host === "dev.azure.com" && parts.scheme !== "https")) return undefined;
  if (host === "ssh.dev.azure.com") return { origin, path: path.replace(/v3\//i, "") };
  if (host === "dev.azure.com") return { origin, path: path.replace(/\/_git\//i, "/") };
  return { origin, path };
}

/**
 * Derive origin and path from already checked URL parts; undefined when the URL has no repository path.
 */
export function deriveFromParts(parts: CloneUrlParts): { origin: string; path: string } | undefined {
  const path = repositoryPath(parts.path);
  if (path.length === 0) return undefined;
  let hostPort = parts.host;
  if (parts.scheme === "file") {
    const segments = path.split("/");
    if (segments.length <= 2) return { origin: hostPort || "localhost", path };
    return { origin: segments.slice(0, -2).join("/"), path: segments.slice(-2).join("/") };
  }
  const known = builtInServer(parts, path);
  if (known !== undefined) return known;
  if (parts.port !== undefined && parts.port !== DEFAULT_PORTS[parts.scheme]) hostPort += `:${parts.port}`;
  const last = path.lastIndexOf("/");
  const orgStart = last <= 0 ? -1 : path.lastIndexOf("/", last - 1);
  if (orgStart < 0) return { origin: hostPort, path }; // one or two segments: all of it is the path
  const context = path.slice(0, orgStart);
  // Bitbucket Data Center: <context root>/scm/<project>/<repo>; the origin is host + context root, without scm
  if (context.toLowerCase() === "scm") return { origin: hostPort, path: path.slice(orgStart + 1) };
  if (context.toLowerCase().endsWith("/scm")) return { origin: `${hostPort}/${context.slice(0, -4)}`, path: path.slice(orgStart + 1) };
  return { origin: `${hostPort}/${context}`, path: path.slice(orgStart + 1) };
}

/**
 * Derive origin and path from a clone URL the way Moderne does (see the rules above). Throws PartitionError
 * "INVALID_ARGUMENT" when the URL is not acceptable.
 */
export function deriveOriginAndPath(cloneUrl: string): { origin: string; path: string } {
  const check = parseCloneUrl(cloneUrl, true);
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
