import { CHECK_IDS, DEFAULT_THRESHOLDS } from "@mass-ingest/doctor";
import { DOCTOR_CHECK_IDS, DOCTOR_THRESHOLDS } from "@mass-ingest/contract/env";
import { expect, it } from "vitest";

it("the checks and thresholds --help states (the contract's) are the library's", () => {
  expect(CHECK_IDS).toEqual(DOCTOR_CHECK_IDS);
  expect(DEFAULT_THRESHOLDS).toEqual(DOCTOR_THRESHOLDS);
});
