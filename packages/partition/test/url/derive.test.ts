import { describe, expect, it } from "vitest";
import { deriveOriginAndPath, readRepos } from "../../src/index.js";
import { text } from "../helpers.js";

// Expected values follow OpenRewrite's GitRemote.Parser (what Moderne uses), see README "Origin and path".
const CASES: Array<[string, string, string]> = [
  // known hosts: the whole path is the path
  ["https://github.com/openrewrite/rewrite.git", "github.com", "openrewrite/rewrite"],
  ["https://github.com/openrewrite/rewrite", "github.com", "openrewrite/rewrite"],
  ["https://github.com/openrewrite/rewrite/", "github.com", "openrewrite/rewrite"],
  ["git@github.com:openrewrite/rewrite.git", "github.com", "openrewrite/rewrite"],
  ["ssh://git@github.com/openrewrite/rewrite.git", "github.com", "openrewrite/rewrite"],
  ["ssh://git@github.com:22/openrewrite/rewrite.git", "github.com", "openrewrite/rewrite"],
  ["https://github.com:443/openrewrite/rewrite.git", "github.com", "openrewrite/rewrite"],
  ["https://user:token@github.com/openrewrite/rewrite.git", "github.com", "openrewrite/rewrite"],
  ["https://gitlab.com/group/subgroup/deeper/repo.git", "gitlab.com", "group/subgroup/deeper/repo"],
  ["git@gitlab.com:group/subgroup/repo.git", "gitlab.com", "group/subgroup/repo"],
  ["ssh://git@gitlab.com:22/group/subgroup/repo.git", "gitlab.com", "group/subgroup/repo"],
  ["https://bitbucket.org/PRJ/repo", "bitbucket.org", "PRJ/repo"],
  ["git@bitbucket.org:PRJ/repo.git", "bitbucket.org", "PRJ/repo"],
  ["https://org@dev.azure.com/org/project/_git/repo", "dev.azure.com", "org/project/repo"],
  ["https://dev.azure.com/org/project/_git/repo", "dev.azure.com", "org/project/repo"],
  ["git@ssh.dev.azure.com:v3/org/project/repo", "dev.azure.com", "org/project/repo"],
  // other hosts: last two segments are org/repo, host + context path are the origin
  ["https://git.example.com/org/repo.git", "git.example.com", "org/repo"],
  ["https://scm.company.com/very/long/context/path/org/repo.git", "scm.company.com/very/long/context/path", "org/repo"],
  ["https://scm.company.com:1234/very/long/context/path/org/repo.git", "scm.company.com:1234/very/long/context/path", "org/repo"],
  ["git@scm.company.com:very/long/context/path/org/repo.git", "scm.company.com/very/long/context/path", "org/repo"],
  ["git@scm.company.com:stash/org/repo.git", "scm.company.com/stash", "org/repo"],
  ["ssh://scm.company.com/stash/org/repo", "scm.company.com/stash", "org/repo"],
  ["ssh://git@scm.company.com:7999/stash/org/repo.git", "scm.company.com:7999/stash", "org/repo"],
  ["http://git.local:80/org/repo.git", "git.local", "org/repo"],
  ["http://git.local:8080/org/repo.git", "git.local:8080", "org/repo"],
  ["git://git.local/org/repo.git", "git.local", "org/repo"],
  // the parser knows no default port for git://, so a written 9418 stays
  ["git://git.local:9418/org/repo.git", "git.local:9418", "org/repo"],
  // Bitbucket Data Center: the origin is host + context root, as the repos.csv reference documents
  // (`mycompany.com/bitbucket`); the `scm` segment before project/repo is not part of it
  ["https://mycompany.com/bitbucket/scm/org/repo.git", "mycompany.com/bitbucket", "org/repo"],
  ["https://bitbucket.mycompany.com/scm/PRJ/repo.git", "bitbucket.mycompany.com", "PRJ/repo"],
  ["https://mycompany.com:8443/bitbucket/scm/org/repo.git", "mycompany.com:8443/bitbucket", "org/repo"],
  ["https://MyCompany.com/bitbucket/SCM/org/repo.git", "MyCompany.com/bitbucket", "org/repo"],
  ["https://mycompany.com/scm/bitbucket/org/repo.git", "mycompany.com/scm/bitbucket", "org/repo"],
  // built-in servers only over https and ssh (as the parser registers them); http is an unregistered remote
  ["http://gitlab.com/group/subgroup/repo.git", "gitlab.com/group", "subgroup/repo"],
  ["ssh://dev.azure.com/org/project/repo", "dev.azure.com/org", "project/repo"],
  // single-segment paths: the host is the origin
  ["https://git.example.com/repo.git", "git.example.com", "repo"],
  // local (only with allowFileUrls in rows)
  ["file:///srv/git/org/repo.git", "srv/git", "org/repo"],
];

/**
 * The published cases of OpenRewrite's GitRemoteTest (rewrite-core) that apply to a parser with only its built-in
 * servers registered: parseKnownRemotes (without the URL with spaces, which mass-ingest refuses as a clone
 * URL), parseUnknownRemote and parseOriginCaseInsensitive. Each: clone URL, origin, path.
 */
const GIT_REMOTE_TEST: Array<[string, string, string]> = [
  // parseKnownRemotes
  ["https://github.com/org/repo", "github.com", "org/repo"],
  ["https://github.com/1org/repo", "github.com", "1org/repo"],
  ["https://github.com/1234/repo", "github.com", "1234/repo"],
  ["git@github.com:org/repo.git", "github.com", "org/repo"],
  ["git@github.com:1org/1repo.git", "github.com", "1org/1repo"],
  ["git@github.com:1234/1repo.git", "github.com", "1234/1repo"],
  ["ssh://github.com/org/repo.git", "github.com", "org/repo"],
  ["https://gitlab.com/group/repo.git", "gitlab.com", "group/repo"],
  ["https://gitlab.com/group/subgroup/subergroup/subestgroup/repo.git", "gitlab.com", "group/subgroup/subergroup/subestgroup/repo"],
  ["git@gitlab.com:group/subgroup/subergroup/subestgroup/repo.git", "gitlab.com", "group/subgroup/subergroup/subestgroup/repo"],
  ["ssh://git@gitlab.com:22/group/subgroup/subergroup/subestgroup/repo.git", "gitlab.com", "group/subgroup/subergroup/subestgroup/repo"],
  ["https://bitbucket.org/PRJ/repo", "bitbucket.org", "PRJ/repo"],
  ["git@bitbucket.org:PRJ/repo.git", "bitbucket.org", "PRJ/repo"],
  ["git@bitbucket.org:1PRJ/repo.git", "bitbucket.org", "1PRJ/repo"],
  ["ssh://bitbucket.org/PRJ/repo.git", "bitbucket.org", "PRJ/repo"],
  ["https://org@dev.azure.com/org/project/_git/repo", "dev.azure.com", "org/project/repo"],
  ["https://dev.azure.com/org/project/_git/repo", "dev.azure.com", "org/project/repo"],
  ["git@ssh.dev.azure.com:v3/org/project/repo", "dev.azure.com", "org/project/repo"],
  // parseUnknownRemote; except that, following the repos.csv reference for Bitbucket Data Center, the `scm`
  // segment before project/repo is not part of the origin (GitRemoteTest keeps it for unregistered servers)
  ["https://scm.company.com/stash/scm/org/repo.git", "scm.company.com/stash", "org/repo"],
  ["https://scm.company.com:1234/stash/scm/org/repo.git", "scm.company.com:1234/stash", "org/repo"],
  ["git@scm.company.com:stash/org/repo.git", "scm.company.com/stash", "org/repo"],
  ["ssh://scm.company.com/stash/org/repo", "scm.company.com/stash", "org/repo"],
  ["https://scm.company.com:1234/very/long/context/path/org/repo.git", "scm.company.com:1234/very/long/context/path", "org/repo"],
  ["git@scm.company.com:very/long/context/path/org/repo.git", "scm.company.com/very/long/context/path", "org/repo"],
  // parseOriginCaseInsensitive
  ["https://github.com/org/repo", "github.com", "org/repo"],
  ["https://GITHUB.COM/ORG/REPO", "github.com", "ORG/REPO"],
  ["ssh://GITHUB.COM/ORG/REPO.GIT", "github.com", "ORG/REPO"],
  ["https://DEV.AZURE.COM/ORG/PROJECT/_GIT/REPO", "dev.azure.com", "ORG/PROJECT/REPO"],
  ["GIT@SSH.DEV.AZURE.COM:V3/ORG/PROJECT/REPO", "dev.azure.com", "ORG/PROJECT/REPO"],
];

describe("deriveOriginAndPath agrees with OpenRewrite's GitRemoteTest", () => {
  it.each(GIT_REMOTE_TEST)("%s -> %s + %s", (url, origin, path) => {
    expect(deriveOriginAndPath(url)).toEqual({ origin, path });
  });
});

describe("deriveOriginAndPath", () => {
  it.each(CASES)("%s -> %s + %s", (url, origin, path) => {
    expect(deriveOriginAndPath(url)).toEqual({ origin, path });
  });

  it("throws a typed error for URLs it must not accept", () => {
    for (const url of ["ext::sh -c x", "-x", "https://github.com/", "not a url"]) {
      expect(() => deriveOriginAndPath(url), url).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    }
  });

  it("rows without origin/path get derived values; given values win", async () => {
    const csv = [
      "cloneUrl,origin,path",
      "https://mycompany.com/bitbucket/scm/org/repo.git,,",
      "git@github.com:a/b.git,mirror.example.com,",
      "git@github.com:a/c.git,,custom/path",
    ].join("\n");
    const { repos } = await readRepos(text(csv));
    expect(repos.map((r) => [r.origin, r.path])).toEqual([
      ["mycompany.com/bitbucket", "org/repo"],
      ["mirror.example.com", "a/b"],
      ["github.com", "custom/path"],
    ]);
  });

  it("works without origin and path columns at all", async () => {
    const { repos } = await readRepos(text("cloneUrl\nssh://git@host:2222/team/svc.git\n"));
    expect(repos[0]).toMatchObject({ origin: "host:2222", path: "team/svc" });
  });
});

describe("checkCloneUrl fast path", () => {
  it("accepts and splits exactly like the full check (property)", async () => {
    const fc = (await import("fast-check")).default;
    const { checkCloneUrl } = await import("../../src/url/check.js");
    const piece = fc.constantFrom(
      "https://",
      "http://",
      "ssh://",
      "git://",
      "HTTPS://",
      "git@",
      "user:pw@",
      "-x@",
      "github.com",
      "host",
      ".",
      "-",
      ":",
      ":22",
      ":0",
      ":99999",
      ":7999",
      "/",
      "//",
      "org",
      "repo.git",
      "?q",
      "#f",
      "\\",
      " ",
      "@",
      "%20",
      "[::1]",
      "..",
      "_",
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (pieces) => {
        const url = pieces.join("");
        // the full check: defeat the fast path by an equivalent URL it does not match (upper-case scheme)
        const slow = /^(https|http|ssh|git):\/\//.test(url) ? checkCloneUrl(url.replace(/^[a-z]+/, (s) => s.toUpperCase())) : undefined;
        const fast = checkCloneUrl(url);
        if (slow === undefined) return;
        expect(fast.ok).toBe(slow.ok);
        if (fast.ok && slow.ok) expect(fast.parts).toEqual(slow.parts);
      }),
      { numRuns: 5000 },
    );
  });
});
