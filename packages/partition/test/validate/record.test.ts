import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PartitionError, parseRepos, readRepos, type ParsedRecord, type ValidationIssue } from "../../src/index.js";
import { branchNameProblem } from "../../src/refname.js";
import { text } from "../helpers.js";

const HEADER = "cloneUrl,branch,changeset,origin,path,alternateCloneUrl,jvmopts,org1,notes";
// Row 1 spans lines 2-4 (a quoted field with two line breaks and a comma); line 5 is blank; the row under test
// is row 2 on line 6.
const PREFIX = `${HEADER}\nhttps://github.com/ok/first.git,main,,,,,-Xmx1g,Team,"first line\nsecond, line\nthird ""line"""\n\n`;

async function records(csv: string, allowFileUrls = false): Promise<ParsedRecord[]> {
  const out: ParsedRecord[] = [];
  for await (const r of parseRepos(text(csv), { allowFileUrls })) out.push(r);
  return out;
}

/** Issues of the row under test (row 2, line 6). */
async function issuesOf(row: string, allowFileUrls = false): Promise<ValidationIssue[]> {
  const recs = await records(PREFIX + row + "\n", allowFileUrls);
  expect(recs).toHaveLength(2);
  expect(recs[0]?.ok).toBe(true);
  const rec = recs[1] as ParsedRecord;
  return rec.ok ? [] : rec.issues;
}

// [what, row (columns as HEADER), expected code, expected column]
const REJECTIONS: Array<[string, string, string, string | undefined]> = [
  ["empty cloneUrl", ",main", "MISSING_CLONE_URL", "cloneUrl"],
  ["more fields than the header", "https://github.com/a/b.git,main,,,,,,Team,notes,extra", "TOO_MANY_FIELDS", undefined],
  ["ftp:// scheme", "ftp://example.com/a/b.git", "UNSUPPORTED_URL_SCHEME", "cloneUrl"],
  ["file:// without opt-in", "file:///srv/git/a/b.git", "UNSUPPORTED_URL_SCHEME", "cloneUrl"],
  ["a local path", "/srv/git/a/b.git", "UNSUPPORTED_URL_SCHEME", "cloneUrl"],
  ["a relative local path", "./a/b", "UNSUPPORTED_URL_SCHEME", "cloneUrl"],
  ["ext:: remote helper", "ext::sh -c touch% /tmp/pwned", "REMOTE_HELPER_TRANSPORT", "cloneUrl"],
  ["fd:: remote helper", "fd::17", "REMOTE_HELPER_TRANSPORT", "cloneUrl"],
  ["custom remote helper", "persistent-https::host/a/b", "REMOTE_HELPER_TRANSPORT", "cloneUrl"],
  ["cloneUrl starting with -", "--upload-pack=touch /tmp/x", "OPTION_INJECTION", "cloneUrl"],
  ["password in an https URL", "https://user:token@example.com/x/y.git", "CREDENTIALS_IN_URL", "cloneUrl"],
  ["token as the user of an https URL", "https://ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/a/b.git", "CREDENTIALS_IN_URL", "cloneUrl"],
  ["password in an ssh URL", "ssh://git:secret-pw@host/a/b.git", "CREDENTIALS_IN_URL", "cloneUrl"],
  ["ssh host starting with -", "ssh://-oProxyCommand=touch%20x/a/b", "OPTION_INJECTION", "cloneUrl"],
  ["ssh user starting with -", "ssh://-oProxyCommand=x@host/a/b", "OPTION_INJECTION", "cloneUrl"],
  ["scp host starting with -", "-oProxyCommand=x:a/b", "OPTION_INJECTION", "cloneUrl"],
  ["scp host starting with - after the user", "git@-oProxyCommand=x:a/b", "OPTION_INJECTION", "cloneUrl"],
  ["scp host with an invalid character", "git@ho!st:a/b", "INVALID_CLONE_URL", "cloneUrl"],
  ["https host with an invalid character", "https://ho!st/a/b.git", "INVALID_CLONE_URL", "cloneUrl"],
  ["cloneUrl with a space", "https://github.com/a/b c.git", "INVALID_CLONE_URL", "cloneUrl"],
  ["cloneUrl without a repository path", "https://github.com/", "INVALID_CLONE_URL", "cloneUrl"],
  ["cloneUrl with a bad port", "https://github.com:99999/a/b.git", "INVALID_CLONE_URL", "cloneUrl"],
  ["alternateCloneUrl starting with -", "https://github.com/a/b.git,,,,,-oProxyCommand=x", "OPTION_INJECTION", "alternateCloneUrl"],
  ["alternateCloneUrl with ext::", "https://github.com/a/b.git,,,,,ext::sh", "REMOTE_HELPER_TRANSPORT", "alternateCloneUrl"],
  ["branch starting with -", "https://github.com/a/b.git,--force", "OPTION_INJECTION", "branch"],
  ["branch with ..", "https://github.com/a/b.git,a..b", "INVALID_BRANCH", "branch"],
  ["branch with a space", "https://github.com/a/b.git,a b", "INVALID_BRANCH", "branch"],
  ["branch with ~", "https://github.com/a/b.git,a~1", "INVALID_BRANCH", "branch"],
  ["branch with ^", "https://github.com/a/b.git,a^", "INVALID_BRANCH", "branch"],
  ["branch with :", "https://github.com/a/b.git,a:b", "INVALID_BRANCH", "branch"],
  ["branch with ?", "https://github.com/a/b.git,a?", "INVALID_BRANCH", "branch"],
  ["branch with *", "https://github.com/a/b.git,a*", "INVALID_BRANCH", "branch"],
  ["branch with [", "https://github.com/a/b.git,a[1]", "INVALID_BRANCH", "branch"],
  ["branch with a backslash", "https://github.com/a/b.git,a\\b", "INVALID_BRANCH", "branch"],
  ["branch ending with .lock", "https://github.com/a/b.git,main.lock", "INVALID_BRANCH", "branch"],
  ["branch component starting with .", "https://github.com/a/b.git,feature/.hidden", "INVALID_BRANCH", "branch"],
  ["branch ending with /", "https://github.com/a/b.git,feature/", "INVALID_BRANCH", "branch"],
  ["branch ending with .", "https://github.com/a/b.git,v1.", "INVALID_BRANCH", "branch"],
  ["branch with //", "https://github.com/a/b.git,a//b", "INVALID_BRANCH", "branch"],
  ["branch with @{", "https://github.com/a/b.git,a@{1}", "INVALID_BRANCH", "branch"],
  ["branch @", "https://github.com/a/b.git,@", "INVALID_BRANCH", "branch"],
  ["branch HEAD", "https://github.com/a/b.git,HEAD", "INVALID_BRANCH", "branch"],
  ["branch with a control character", 'https://github.com/a/b.git,"a\u0001b"', "INVALID_BRANCH", "branch"],
  ["changeset too short", "https://github.com/a/b.git,,abc123", "INVALID_CHANGESET", "changeset"],
  ["changeset too long", `https://github.com/a/b.git,,${"a".repeat(41)}`, "INVALID_CHANGESET", "changeset"],
  ["changeset not hex", "https://github.com/a/b.git,,abcdefg", "INVALID_CHANGESET", "changeset"],
  ["changeset starting with -", "https://github.com/a/b.git,,--all", "OPTION_INJECTION", "changeset"],
  ["changeset without its branch", "https://github.com/a/b.git,,abcdef1", "CHANGESET_WITHOUT_BRANCH", "changeset"],
  ["path with ..", "https://github.com/a/b.git,,,,../../etc", "UNSAFE_PATH", "path"],
  ["path with a .. segment in the middle", "https://github.com/a/b.git,,,,a/../../b", "UNSAFE_PATH", "path"],
  ["path with a leading /", "https://github.com/a/b.git,,,,/etc/passwd", "UNSAFE_PATH", "path"],
  ["path with a control character", 'https://github.com/a/b.git,,,,"a\nb"', "UNSAFE_PATH", "path"],
  ["path with NUL", "https://github.com/a/b.git,,,,a\u0000b", "UNSAFE_PATH", "path"],
  ["path starting with -", "https://github.com/a/b.git,,,,-rf", "OPTION_INJECTION", "path"],
  ["origin with ..", "https://github.com/a/b.git,,,..", "UNSAFE_PATH", "origin"],
  ["origin with a leading /", "https://github.com/a/b.git,,,/github.com", "UNSAFE_PATH", "origin"],
  ["origin with NUL", "https://github.com/a/b.git,,,git\u0000hub.com", "UNSAFE_PATH", "origin"],
  ["origin with a control character", "https://github.com/a/b.git,,,git\u001bhub.com", "UNSAFE_PATH", "origin"],
  ["org with ..", "https://github.com/a/b.git,,,,,,,..", "UNSAFE_PATH", "org1"],
  ["jvmopts with a control character", 'https://github.com/a/b.git,,,,,,"-Xmx1g\u0000"', "CONTROL_CHARACTER", "jvmopts"],
  ["derived path with ..", "https://example.com/a/../..", "UNSAFE_PATH", "cloneUrl"],
];

describe("validation: every rejection, with its exact line number", () => {
  it.each(REJECTIONS)("%s", async (_what, row, code, column) => {
    const issues = await issuesOf(row);
    const issue = issues.find((i) => i.code === code);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue).toMatchObject({ row: 2, line: 6 });
    expect(issue?.column).toBe(column);
    expect(issue?.message.length).toBeGreaterThan(20);
  });

  it("names the value, truncated and with control characters escaped", async () => {
    const [issue] = await issuesOf(`https://github.com/a/b.git,${"x".repeat(200)}..`);
    expect(issue?.value?.length).toBe(80);
    expect(issue?.value?.endsWith("…")).toBe(true);
    const [ctl] = await issuesOf('https://github.com/a/b.git,,,,"a\nb"');
    expect(ctl?.value).toBe("a\\nb");
  });

  it("never prints credentials embedded in a clone URL", async () => {
    const issues = await issuesOf("ftp://deploy:s3cr3t-token@example.com/a/b.git");
    expect(issues[0]?.code).toBe("UNSUPPORTED_URL_SCHEME");
    expect(JSON.stringify(issues)).not.toContain("s3cr3t-token");
    expect(issues[0]?.value).toContain("ftp://***@example.com");
    const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    const tokenIssues = await issuesOf(`https://${token}@example.com/a/b c.git`);
    expect(tokenIssues[0]?.code).toBe("INVALID_CLONE_URL");
    expect(JSON.stringify(tokenIssues)).not.toContain(token);
  });

  it("accepts file:// only when the caller opts in", async () => {
    expect(await issuesOf("file:///srv/git/a/b.git", true)).toEqual([]);
  });

  it("reports every problem of a row, not only the first", async () => {
    const issues = await issuesOf("https://github.com/a/b.git,a..b,xyz,,/abs");
    expect(issues.map((i) => i.code).sort()).toEqual(["INVALID_BRANCH", "INVALID_CHANGESET", "UNSAFE_PATH"]);
  });

  it("accepts valid rows of every URL form", async () => {
    for (const url of [
      "https://github.com/a/b.git",
      "http://git.local:8080/a/b",
      "ssh://git@host:7999/a/b.git",
      "git://host/a/b.git",
      "git@github.com:a/b.git",
      "host:a/b.git",
      "https://user@example.com/x/y.git",
      "ssh://git@[::1]:22/a/b.git",
    ]) {
      expect(await issuesOf(`${url},release/1.x,,,,,-Xmx2g,Team`), url).toEqual([]);
    }
    // repos.csv: changeset requires branch (the branch the commit is on), so both together are valid
    expect(await issuesOf(`https://github.com/a/b.git,main,${"A1b2c3d"},,,,,`)).toEqual([]);
    expect(await issuesOf(`https://github.com/a/b.git,release/1.x,${"f".repeat(40)},,,,,`)).toEqual([]);
  });
});

describe("file-level rejections", () => {
  it("empty file", async () => {
    for (const csv of ["", "\ufeff", "\n\n\r\n", "  \n,,\n"]) {
      await expect(readRepos(text(csv))).rejects.toMatchObject({ code: "EMPTY_FILE" });
    }
  });

  it("missing cloneUrl header names the header's line", async () => {
    const err = await readRepos(text("\n\nurl,branch\nhttps://github.com/a/b.git,main\n")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartitionError);
    expect(err).toMatchObject({ code: "MISSING_CLONE_URL_HEADER" });
    expect((err as PartitionError).message).toMatch(/^Line 3:/);
    expect((err as PartitionError).hint).toBeDefined();
  });

  it("a column named twice (case-insensitively)", async () => {
    await expect(readRepos(text("cloneUrl,Branch,BRANCH\n"))).rejects.toMatchObject({ code: "DUPLICATE_COLUMN" });
  });

  it("unclosed quote names the line where the record starts", async () => {
    const err = await readRepos(text('cloneUrl,branch\nhttps://github.com/a/b.git,main\nhttps://github.com/a/c.git,"main\n')).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "MALFORMED_CSV" });
    expect((err as Error).message).toContain("Line 3");
  });
});

describe("branch names follow git check-ref-format", () => {
  const cwd = tmpdir();
  const gitAccepts = (name: string): boolean => {
    try {
      execFileSync("git", ["check-ref-format", `refs/heads/${name}`], { cwd, stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };

  it("agrees with git on hand-picked and random names", () => {
    const names = [
      "main",
      "release/1.x",
      "feature/JIRA-12_x",
      "v1.0",
      "a@b",
      "a.lock.b",
      "é",
      "refs/heads/x",
      "HEAD/x",
      "a..b",
      "a b",
      "a~b",
      "a^b",
      "a:b",
      "a?b",
      "a*b",
      "a[b",
      "a\\b",
      "/a",
      "a/",
      "a//b",
      "a.",
      ".a",
      "a/.b",
      "a.lock",
      "a/b.lock/c",
      "@",
      "a@{b",
      "@{",
      "a\tb",
      "a\u007fb",
      "x/y/z",
      "_",
      "a/b.c/d",
    ];
    const random = fc.sample(
      fc.string({ unit: fc.constantFrom("a", ".", "/", "@", "{", "l", "o", "c", "k", "-", "~", " ", "Z"), minLength: 1, maxLength: 7 }),
      { numRuns: 150, seed: 42 },
    );
    for (const name of [...names, ...random]) {
      if (name.startsWith("-") || name === "HEAD" || name === "@") continue; // refused on top of the ref rules, as `git branch` does
      expect(branchNameProblem(name) === undefined, `branch ${JSON.stringify(name)}`).toBe(gitAccepts(name));
    }
  });
});

describe("check-only validation", () => {
  it("gives the same verdict and issues as full validation (property, hostile values)", async () => {
    const { layoutFromHeader } = await import("../../src/header.js");
    const { validateRecord } = await import("../../src/validate/record.js");
    const layout = layoutFromHeader(["cloneUrl", "branch", "changeset", "origin", "path", "org1", "notes"], 1);
    const piece = fc.constantFrom(
      "https://",
      "git@",
      "ssh://",
      "file://",
      "ext::",
      "github.com",
      "gitlab.com",
      "host",
      ":",
      "/",
      "..",
      ".git",
      "-",
      "\\",
      "a",
      "scm",
      "_git",
      "v3",
      " ",
      "\n",
      "\u0000",
      "@",
      "7999",
      "abc1234",
    );
    const value = fc.array(piece, { maxLength: 6 }).map((p) => p.join(""));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 7 }), (fields) => {
        const full = validateRecord(fields, layout, 1, 2, false, true);
        const check = validateRecord(fields, layout, 1, 2, false, false);
        expect(check.ok).toBe(full.ok);
        if (!full.ok && !check.ok) expect(check.issues).toEqual(full.issues);
      }),
      { numRuns: 5000 },
    );
  });
});
