import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { csvSha256, hashingCsv } from "../src/index.js";

const CSV = "cloneUrl,branch\nhttps://github.com/a/b.git,main\nhttps://github.com/a/c.git,Équipe\n";

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("hashingCsv", () => {
  it("passes the chunks on unchanged and gives csvSha256's checksum once they are read", async () => {
    const hashed = hashingCsv(chunksOf(CSV, 7));
    const seen: Buffer[] = [];
    for await (const chunk of hashed.chunks) seen.push(Buffer.from(chunk));
    expect(Buffer.concat(seen).toString("utf8")).toBe(CSV);
    const expected = createHash("sha256").update(CSV, "utf8").digest("hex");
    expect(hashed.sha256()).toBe(expected);
    expect(await csvSha256(chunksOf(CSV, 5))).toBe(expected);
  });

  it("refuses the checksum of a csv not read to the end", async () => {
    const hashed = hashingCsv(chunksOf(CSV, 7));
    for await (const _chunk of hashed.chunks) break;
    expect(() => hashed.sha256()).toThrow(expect.objectContaining({ code: "CSV_NOT_HASHED" }));
  });
});
