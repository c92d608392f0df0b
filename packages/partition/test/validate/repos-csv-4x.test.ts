/** The repos.csv rules as the Moderne CLI 4.x reference documents them (changeset, alternateCloneUrl, origin/path). */
import { describe, expect, it } from "vitest";
import { derivedSummary, readRepos, toCsv, validateRepos } from "../../src/index.js";
import { text } from "../helpers.js";

describe("repos.csv as the 4.x reference documents it", () => {
  it("changeset requires branch: both together are valid, a changeset alone is refused", async () => {
    const csv = ["cloneUrl,branch,changeset", "https://github.com/a/b.git,main,abcdef1", "https://github.com/a/c.git,,abcdef2"].join("\n");
    const result = await readRepos(text(csv), { mode: "lenient" });
    expect(result.repos.map((r) => [r.row, r.branch, r.changeset])).toEqual([[1, "main", "abcdef1"]]);
    expect(result.issues.map((i) => [i.code, i.row, i.column])).toEqual([["CHANGESET_WITHOUT_BRANCH", 2, "changeset"]]);
    expect(result.issues[0]?.message).toContain("requires branch with changeset");
  });

  it("alternateCloneUrl may repeat: every fallback kept in order, each checked, written back as repeated columns", async () => {
    const csv = [
      "cloneUrl,alternateCloneUrl,origin,path,alternateCloneUrl,ALTERNATECLONEURL",
      "https://github.com/a/b.git,https://mirror1.example.com/a/b.git,github.com,a/b,,git@mirror2.example.com:a/b.git",
      "https://github.com/a/c.git,,github.com,a/c,,",
      "https://github.com/a/d.git,ext::sh -c id,github.com,a/d,https://ok.example.com/a/d.git,",
    ].join("\n");
    const result = await readRepos(text(csv), { mode: "lenient" });
    expect(result.repos[0]).toMatchObject({
      alternateCloneUrl: "https://mirror1.example.com/a/b.git",
      alternateCloneUrls: ["https://mirror1.example.com/a/b.git", "git@mirror2.example.com:a/b.git"],
    });
    expect(result.repos[1]?.alternateCloneUrls).toBeUndefined();
    expect(result.issues.map((i) => [i.code, i.row, i.column])).toEqual([["REMOTE_HELPER_TRANSPORT", 3, "alternateCloneUrl"]]);
    const written = toCsv(result.repos);
    expect(written.split("\n")[0]).toBe("cloneUrl,origin,path,alternateCloneUrl,alternateCloneUrl");
    const back = await readRepos(text(written));
    expect(back.repos.map((r) => r.alternateCloneUrls)).toEqual(result.repos.map((r) => r.alternateCloneUrls));
  });

  it("origin and path are derived only when absent, and each derivation is reported as a notice", async () => {
    const csv = [
      "cloneUrl,origin,path",
      "https://github.com/a/b.git,github.com,a/b",
      "https://github.com/a/c.git,,",
      "https://github.com/a/d.git,mirror.example.com,",
    ].join("\n");
    const result = await readRepos(text(csv));
    expect(result.repos.map((r) => [r.origin, r.path, r.derived])).toEqual([
      ["github.com", "a/b", undefined],
      ["github.com", "a/c", ["origin", "path"]],
      ["mirror.example.com", "a/d", ["path"]],
    ]);
    expect(result.derived?.map((n) => [n.code, n.row, n.column])).toEqual([
      ["DERIVED_ORIGIN_PATH", 2, "origin,path"],
      ["DERIVED_ORIGIN_PATH", 3, "path"],
    ]);
    expect(result.derived?.[1]?.message).toBe(
      'path not given, derived from the clone URL: path "a/d". The CLI requires both; set them in repos.csv to keep them stable.',
    );
    expect(derivedSummary(result.derived)).toBe(
      "origin/path derived from cloneUrl for 2 row(s) (rows 2, 3): the CLI requires both columns; set them in repos.csv to keep them stable",
    );
    expect(
      derivedSummary((await readRepos(text("cloneUrl,origin,path\nhttps://github.com/a/b.git,github.com,a/b\n"))).derived),
    ).toBeUndefined();
    expect((await validateRepos(text(csv))).derived?.map((n) => n.row)).toEqual([2, 3]);
  });

  it("Bitbucket Data Center: a derived origin is host + context root, without the scm segment", async () => {
    const csv = ["cloneUrl", "https://mycompany.com/bitbucket/scm/PRJ/repo.git", "https://bitbucket.example.com/scm/PRJ/other.git"].join(
      "\n",
    );
    const { repos } = await readRepos(text(csv));
    expect(repos.map((r) => [r.origin, r.path])).toEqual([
      ["mycompany.com/bitbucket", "PRJ/repo"],
      ["bitbucket.example.com", "PRJ/other"],
    ]);
  });
});
