import { CHECK_IDS, DEFAULT_THRESHOLDS } from "@mass-ingest/doctor";
import { expect, it } from "vitest";
import * as help from "../src/help-defaults.js";

it("the checks and thresholds --help states are the library's", () => {
  expect(help.CHECK_IDS).toEqual(CHECK_IDS);
  expect(help.DEFAULT_THRESHOLDS).toEqual(DEFAULT_THRESHOLDS);
});
