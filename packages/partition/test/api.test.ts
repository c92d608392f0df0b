import { describe, expect, it } from "vitest";

describe("public API", () => {
  it("exports exactly these names (a change here is a deliberate API change)", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "ERROR_CODES",
      "ISSUE_CODES",
      "KNOWN_COLUMNS",
      "PartitionError",
      "arrayIndexForRow",
      "branchNameProblem",
      "checkCloneUrl",
      "countRows",
      "deriveOriginAndPath",
      "derivedSummary",
      "formatIssue",
      "parseRepos",
      "planByCount",
      "planBySize",
      "planCsv",
      "rangeForArrayIndex",
      "readRepos",
      "selectJobRows",
      "selectRange",
      "selectRows",
      "toCsv",
      "validateRepos",
    ]);
  });
});
