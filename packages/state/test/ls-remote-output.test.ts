import { describe, expect, test } from "vitest";
import { classifyFailure, commitFrom, redactLine, refPatterns } from "../src/ls-remote-output.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("ls-remote output", () => {
  test("patterns", () => {
    expect(refPatterns(undefined)).toEqual(["HEAD"]);
    expect(refPatterns("main")).toEqual(["refs/heads/main", "refs/tags/main", "refs/tags/main^{}"]);
  });

  test("a branch wins over a tag; an annotated tag is peeled", () => {
    const p = refPatterns("v1");
    expect(commitFrom(`${A}\trefs/tags/v1\n${B}\trefs/tags/v1^{}\n`, p)).toBe(B);
    expect(commitFrom(`${B}\trefs/tags/v1\n${A}\trefs/heads/v1\n`, p)).toBe(A);
    expect(commitFrom("", p)).toBeUndefined();
  });

  test.each([
    ["fatal: unable to access 'https://h/': Could not resolve host: h", "dns"],
    ["fatal: unable to access 'https://h/': SSL certificate problem: self-signed certificate", "tls"],
    ["fatal: could not read Username for 'https://h': terminal prompts disabled", "auth"],
    ["remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'https://h/'", "auth"],
    ["fatal: unable to access 'https://h/': The requested URL returned error: 403", "auth"],
    ["remote: Repository not found.\nfatal: repository 'https://h/x/' not found", "not-found"],
    ["fatal: remote error: access denied or repository not exported: /x.git", "not-found"],
    ["fatal: something odd", "other"],
  ])("%s -> %s", (stderr, kind) => {
    expect(classifyFailure(stderr, "https://h/x").kind).toBe(kind);
  });

  test("git's errno line, after the first line, is kept in the message", () => {
    const stderr = "fatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: errno=Connection refused\n";
    expect(classifyFailure(stderr, "git://127.0.0.1:1/x").message).toBe("fatal: unable to connect to 127.0.0.1: errno=Connection refused");
  });

  test("credentials are redacted from the first line", () => {
    const failure = classifyFailure("fatal: unable to access 'https://bob:s3cret-token@h/x/': 500", "https://bob:s3cret-token@h/x");
    expect(failure.message).toBe("fatal: unable to access 'https://***@h/x/': 500");
    expect(redactLine("token s3cret-token here", ["s3cret-token"])).toBe("token *** here");
  });
});
