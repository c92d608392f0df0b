import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readRepos } from "../../src/index.js";

const bytes = (...parts: Array<string | number[]>): Readable =>
  Readable.from([Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))))]);

describe("repos.csv encodings", () => {
  it("Windows-1252 bytes are INVALID_ENCODING naming line and column, with a hint", async () => {
    // "Société" in Windows-1252: é is 0xE9
    const csv = bytes("cloneUrl,origin\nhttps://git.example.com/a/b.git,Soci", [0xe9], "t", [0xe9], "\n");
    const err = (await readRepos(csv).catch((e: unknown) => e)) as { code: string; message: string; hint: string; exitCode: number };
    expect(err).toMatchObject({ code: "INVALID_ENCODING", exitCode: 2 });
    expect(err.message).toBe("Line 2, column 37: the file is not valid UTF-8.");
    expect(err.hint).toContain("UTF-8");
  });

  it("valid UTF-8 split anywhere between chunks is read as is", async () => {
    const all = Buffer.from("cloneUrl,origin\nhttps://git.example.com/a/b.git,Société €\n", "utf8");
    const chunks = Array.from({ length: all.length }, (_, i) => all.subarray(i, i + 1));
    const { repos } = await readRepos(Readable.from(chunks));
    expect(repos[0]?.origin).toBe("Société €");
  });

  it("UTF-16 with a BOM is decoded and its problems are reported at their real lines", async () => {
    const text = "cloneUrl,origin\nhttps://git.example.com/a/b.git,Société\nnot a url\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const { repos, issues } = await readRepos(Readable.from([le]), { mode: "lenient" });
    expect(repos[0]?.origin).toBe("Société");
    expect(issues.map((i) => i.line)).toEqual([3]);
  });
});
