import { describe, expect, it } from "vitest";
import { PartitionError } from "../src/errors.js";
import { layoutFromHeader } from "../src/header.js";

const hintFor = (header: string): string | undefined => {
  try {
    layoutFromHeader(header.split(","), 1);
  } catch (e) {
    expect(e).toBeInstanceOf(PartitionError);
    expect(e).toMatchObject({ code: "MISSING_CLONE_URL_HEADER" });
    return (e as PartitionError).hint;
  }
  return undefined;
};

describe("a header without cloneUrl says what is wrong", () => {
  it("a near miss: did you mean cloneUrl", () => {
    expect(hintFor("cloenUrl,branch")).toBe('Did you mean "cloneUrl"? The header has "cloenUrl"; rename that column to cloneUrl.');
    expect(hintFor("clone_url,branch")).toContain('Did you mean "cloneUrl"? The header has "clone_url"');
    expect(hintFor("cloneUrls")).toContain("Did you mean");
  });

  it("a semicolon-separated file is named as such", () => {
    expect(hintFor("cloneUrl;branch;origin")).toContain("semicolon-separated");
  });

  it("anything else: the general hint", () => {
    expect(hintFor("url,branch")).toBe('The first non-blank line must be a header naming the columns, with at least "cloneUrl".');
  });
});
