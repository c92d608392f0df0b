import { expect, it } from "vitest";
import { BUILD_OUTCOMES, isBuildOutcome, MOD_STEPS, REPO_OUTCOMES, STEP_NAMES } from "../src/index.js";

it("spells each outcome once, in kebab case", () => {
  expect(new Set(REPO_OUTCOMES).size).toBe(REPO_OUTCOMES.length);
  for (const outcome of REPO_OUTCOMES) expect(outcome).toMatch(/^[a-z]+(-[a-z]+)*$/);
});

it("keeps the build outcomes and the mod steps inside the wider lists", () => {
  for (const outcome of BUILD_OUTCOMES) expect(REPO_OUTCOMES).toContain(outcome);
  for (const step of MOD_STEPS) expect(STEP_NAMES).toContain(step);
  expect(isBuildOutcome("timed-out")).toBe(true);
  expect(isBuildOutcome("timeout")).toBe(false);
  expect(isBuildOutcome("skipped")).toBe(false);
});
