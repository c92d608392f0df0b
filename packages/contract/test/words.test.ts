import { expect, it } from "vitest";
import { countOf } from "../src/index.js";

it("counts with the singular for one and the plural otherwise", () => {
  expect([0, 1, 2].map((n) => countOf(n, "repository", "repositories"))).toEqual(["0 repositories", "1 repository", "2 repositories"]);
});
