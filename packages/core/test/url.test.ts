import { describe, expect, it } from "vitest";
import { maskUserInfo, redactUrl, splitUserInfo, stripUserInfo } from "../src/index.js";

describe("URL helpers", () => {
  it("stripUserInfo drops user and password and a trailing slash", () => {
    expect(stripUserInfo("https://user:tok3n@repo.example.com/maven/")).toBe("https://repo.example.com/maven");
    expect(stripUserInfo("https://repo.example.com/a")).toBe("https://repo.example.com/a");
    expect(stripUserInfo("not a url")).toBe("not a url");
  });

  it("redactUrl masks user info and the query", () => {
    expect(redactUrl("https://u:p@host/x.csv?X-Amz-Signature=abc")).toBe("https://***@host/x.csv?***");
    expect(redactUrl("https://host/x.csv")).toBe("https://host/x.csv");
    expect(redactUrl("/a/path")).toBe("/a/path");
  });

  it("maskUserInfo masks the user info of every URL in a text, of any scheme, and nothing else", () => {
    expect(maskUserInfo("cloning https://user:tok3n@git.example.com/org/repo.git failed")).toBe(
      "cloning https://***@git.example.com/org/repo.git failed",
    );
    expect(maskUserInfo("ssh://git@host:2222/a and git://t0ken@host/b")).toBe("ssh://***@host:2222/a and git://***@host/b");
    expect(maskUserInfo("s3://AKIA:se@cret@bucket/key")).toBe("s3://***@bucket/key");
    expect(maskUserInfo("https://TOKEN@host")).toBe("https://***@host");
    expect(maskUserInfo("git@github.com:org/repo.git, mail me@example.com, https://host/a@b")).toBe(
      "git@github.com:org/repo.git, mail me@example.com, https://host/a@b",
    );
  });

  it("splitUserInfo turns user info into a Basic header", () => {
    expect(splitUserInfo("https://al%40ice:s%3Acret@host/repo/")).toEqual({
      url: "https://host/repo",
      authorization: `Basic ${Buffer.from("al@ice:s:cret").toString("base64")}`,
    });
    expect(splitUserInfo("https://host/repo")).toEqual({ url: "https://host/repo" });
  });
});
