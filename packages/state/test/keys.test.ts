import { describe, expect, test } from "vitest";
import { fingerprint, normalizeCloneUrl, repoKey } from "../src/keys.js";

describe("normalizeCloneUrl", () => {
  test.each([
    ["HTTPS://GitHub.com/Org/Repo.git", "https://github.com/Org/Repo"],
    ["https://user:token@github.com/org/repo.git/", "https://github.com/org/repo"],
    ["https://github.com:443/org/repo", "https://github.com/org/repo"],
    ["http://host:80/org/repo.git", "http://host/org/repo"],
    ["https://host:8443/org/repo", "https://host:8443/org/repo"],
    ["ssh://git@host:22/org/repo.git", "ssh://host/org/repo"],
    ["ssh://git@host:2222/org/repo.git", "ssh://host:2222/org/repo"],
    ["git@Host.example:org/repo.git", "ssh://host.example/org/repo"],
    ["git://host:9418/org/repo.git", "git://host/org/repo"],
    ["https://host/org/repo?x=1#frag", "https://host/org/repo"],
    ["/srv/git/repo.git/", "/srv/git/repo"],
  ])("%s -> %s", (input, expected) => {
    expect(normalizeCloneUrl(input)).toBe(expected);
  });

  test("scp-like and ssh:// URLs of the same repository share a key", () => {
    expect(repoKey("git@github.com:org/repo.git")).toBe(repoKey("ssh://git@github.com/org/repo"));
  });

  test("a Windows drive letter is no scp-like host", () => {
    expect(normalizeCloneUrl("C:/repos/x.git")).toBe("C:/repos/x");
  });
});

describe("repoKey", () => {
  test("branch and changeset are part of the key; empty means the default branch", () => {
    expect(repoKey("https://h/o/r", { branch: "main" })).toBe("https://h/o/r#main");
    expect(repoKey("https://h/o/r", { changeset: "abc1234" })).toBe("https://h/o/r@abc1234");
    expect(repoKey("https://h/o/r", { branch: "", changeset: " " })).toBe("https://h/o/r");
    expect(repoKey("https://h/o/r", { branch: "dev" })).not.toBe(repoKey("https://h/o/r"));
  });
});

describe("fingerprint", () => {
  test("stable, short hex, absent fields equal empty ones", () => {
    const a = fingerprint({ cliVersion: "3.40.0", java: "17" });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint({ cliVersion: "3.40.0", java: "17", jvmOpts: "" })).toBe(a);
  });

  test("every field changes it, and fields do not run into each other", () => {
    const base = { cliVersion: "1", java: "17", jvmOpts: "-Xmx1g", mavenArgs: "-q", gradleArgs: "--offline" };
    const all = new Set([
      fingerprint(base),
      fingerprint({ ...base, cliVersion: "2" }),
      fingerprint({ ...base, java: "21" }),
      fingerprint({ ...base, jvmOpts: "-Xmx2g" }),
      fingerprint({ ...base, mavenArgs: "" }),
      fingerprint({ ...base, gradleArgs: "" }),
      fingerprint({ ...base, java: "1", jvmOpts: "7-Xmx1g" }),
    ]);
    expect(all.size).toBe(7);
  });
});
