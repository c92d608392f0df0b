import { expect, it } from "vitest";

it("exports exactly this API (a change here is a deliberate API change)", async () => {
  expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
    "BatchError",
    "checkJobDefinitionSecrets",
    "childTaskIds",
    "createBatchApi",
    "defaultRunId",
    "getRunStatus",
    "looksLikeJobId",
    "planSubmission",
    "plannedCalls",
    "retryFailed",
    "runTaskIds",
    "secretsOfJobDefinition",
    "submit",
    "taskIdOfArn",
    "validateRunId",
    "waitForRun",
  ]);
});
