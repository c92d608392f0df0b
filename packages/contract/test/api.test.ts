import { expect, it } from "vitest";

it("exports exactly these names (a change to the public API is a deliberate diff)", async () => {
  expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
    "ARRAY_INDEX_ENV",
    "BUILD_OUTCOMES",
    "CHUNKER_BIN",
    "CHUNKER_ENV",
    "CHUNKER_SECRET_ENV_NAMES",
    "CHUNK_COMMAND",
    "DEFAULTS",
    "EXIT",
    "JOB_ID_ENV",
    "MANAGED_PROCESSOR_ENV_NAMES",
    "MOD_STEPS",
    "PROCESSOR_BIN",
    "PROCESSOR_COMMAND",
    "PROCESSOR_ENV",
    "PROCESSOR_PARAMETERS",
    "PROCESSOR_PARAMETER_DEFAULTS",
    "REPORT_COMMAND",
    "REPO_OUTCOMES",
    "RESOLVABLE_ENV_NAMES",
    "RUN_METRICS",
    "SECRET_ENV_NAMES",
    "STEP_NAMES",
    "TAGS",
    "exitCodeForSignal",
    "isBuildOutcome",
    "substituteCommand",
  ]);
});
