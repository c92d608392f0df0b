import { afterAll, describe, expect, it } from "vitest";
import { readRepos, selectRange, toCsv, validateRepos } from "../../src/index.js";
import { tempDir, text } from "../helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

// Moderne's repos.csv lists a repository once per organization: same clone URL and branch, other org columns.
const PER_ORG = [
  "cloneUrl,branch,org1,org2",
  "https://github.com/acme/shared.git,main,Payments,ALL", // row 1
  "https://github.com/acme/solo.git,main,Payments,ALL", // row 2
  "https://github.com/acme/shared.git,main,Platform,ALL", // row 3: same repository, another organization
  "https://github.com/acme/shared.git,main,Payments,ALL", // row 4: a true duplicate of row 1
  "https://github.com/acme/shared,main,Search,ALL", // row 5: a third organization (.git ignored)
].join("\n");

describe("a repository listed once per organization", () => {
  it("is built once, keeps every organization, and is not called a duplicate to remove", async () => {
    const result = await readRepos(text(PER_ORG));
    expect(result.repos.map((r) => r.row)).toEqual([1, 2]);
    expect(result.repos[0]?.orgs).toEqual(["Payments", "ALL"]);
    expect(result.repos[0]?.otherOrgs).toEqual([
      ["Platform", "ALL"],
      ["Search", "ALL"],
    ]);
    expect(result.repos[1]?.otherOrgs).toBeUndefined();
    // row 4 repeats row 1 with the same organizations: a true duplicate, today's message
    expect(result.duplicates.map((d) => [d.code, d.row])).toEqual([["DUPLICATE_ROW", 4]]);
    expect(result.duplicates[0]?.message).toContain("Remove one of them");
    // rows 3 and 5 are notes, worded for what they are
    expect(result.sharedRows.map((d) => [d.code, d.row, d.firstRow])).toEqual([
      ["ORGANIZATION_LISTING", 3, 1],
      ["ORGANIZATION_LISTING", 5, 1],
    ]);
    for (const note of result.sharedRows) {
      expect(note.message).toContain("listed under another organization");
      expect(note.message).not.toMatch(/remove/i);
    }
  });

  it("check-only validation and file selections agree with the whole read", async () => {
    const checked = await validateRepos(text(PER_ORG));
    const whole = await readRepos(text(PER_ORG));
    expect(checked.duplicates).toEqual(whole.duplicates);
    expect(checked.sharedRows).toEqual(whole.sharedRows);
    const path = tmp.file("per-org.csv", PER_ORG);
    for (const source of [() => path, () => text(PER_ORG)]) {
      const all = await selectRange(source(), { start: 1, end: 5 });
      expect(all.repos).toEqual(whole.repos);
      expect(all.sharedRows).toEqual(whole.sharedRows);
      const later = await selectRange(source(), { start: 3, end: 5 });
      expect(later.repos).toEqual([]);
      expect(later.duplicates.map((d) => d.row)).toEqual([4]);
      expect(later.sharedRows.map((d) => [d.row, d.firstRow])).toEqual([
        [3, 1],
        [5, 1],
      ]);
    }
  });

  it("toCsv writes one line per organization, so `mod git sync csv` loses none", async () => {
    const { repos } = await readRepos(text(PER_ORG));
    expect(toCsv(repos).trim().split("\n")).toEqual([
      "cloneUrl,branch,origin,path,org1,org2",
      "https://github.com/acme/shared.git,main,github.com,acme/shared,Payments,ALL",
      "https://github.com/acme/shared.git,main,github.com,acme/shared,Platform,ALL",
      "https://github.com/acme/shared.git,main,github.com,acme/shared,Search,ALL",
      "https://github.com/acme/solo.git,main,github.com,acme/solo,Payments,ALL",
    ]);
  });
});
