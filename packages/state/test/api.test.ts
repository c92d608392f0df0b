import { expect, test } from "vitest";

test("the public API is exactly this list", async () => {
  expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
    "DEFAULT_LOCK_STALE_MS",
    "DEFAULT_LS_REMOTE_CONCURRENCY",
    "DEFAULT_LS_REMOTE_TIMEOUT_MS",
    "DEFAULT_MAX_AGE_MS",
    "DEFAULT_PREDICTED_MS",
    "DEFAULT_TIME_BUDGET_MS",
    "StateConflictError",
    "StateError",
    "StateLockedError",
    "TIME_BUDGET_SHARE",
    "allowedProtocols",
    "checkManifestCsv",
    "emptyState",
    "fingerprint",
    "fold",
    "foldPendingRuns",
    "lsRemote",
    "normalizeCloneUrl",
    "openPlan",
    "openResultRecorder",
    "openStateStore",
    "partitionForArrayIndex",
    "planByTime",
    "predictDurations",
    "repoKey",
    "select",
    "sha256Hex",
    "withPendingRun",
  ]);
});
