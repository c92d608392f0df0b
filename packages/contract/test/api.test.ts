import { expect, it } from "vitest";

it("exports exactly these names (a change to the public API is a deliberate diff)", async () => {
  expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
    "ARRAY_INDEX_ENV",
    "BUILD_MEMORY_MIB",
    "BUILD_OUTCOMES",
    "CHUNKER_BIN",
    "CHUNKER_ENV",
    "CHUNKER_SECRET_ENV_NAMES",
    "CHUNK_COMMAND",
    "DEFAULTS",
    "DOCTOR_CHECK_IDS",
    "DOCTOR_THRESHOLDS",
    "EXIT",
    "FAILURE_CAUSES",
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
    "RETRYABLE_CAUSES",
    "RUN_METRICS",
    "SECRET_ENV_NAMES",
    "STEP_NAMES",
    "TAGS",
    "WHOLE_NUMBER_KINDS",
    "WORKER_CHECK_IDS",
    "countOf",
    "deriveBuildConcurrency",
    "describeEnv",
    "envDefaultText",
    "envHelp",
    "exitCodeForSignal",
    "isBuildOutcome",
    "isFailureCause",
    "maxHeapMiB",
    "substituteCommand",
  ]);
});

it("@mass-ingest/contract/env exports exactly these names, each the main entry's own", async () => {
  const env: Record<string, unknown> = await import("../src/env.js");
  const main: Record<string, unknown> = await import("../src/index.js");
  expect(Object.keys(env).sort()).toEqual([
    "BUILD_MEMORY_MIB",
    "CHUNKER_ENV",
    "CHUNKER_SECRET_ENV_NAMES",
    "DEFAULTS",
    "DOCTOR_CHECK_IDS",
    "DOCTOR_THRESHOLDS",
    "MANAGED_PROCESSOR_ENV_NAMES",
    "PROCESSOR_ENV",
    "RESOLVABLE_ENV_NAMES",
    "SECRET_ENV_NAMES",
    "WHOLE_NUMBER_KINDS",
    "WORKER_CHECK_IDS",
    "describeEnv",
    "envDefaultText",
    "envHelp",
  ]);
  for (const name of Object.keys(env)) expect(env[name]).toBe(main[name]);
});
