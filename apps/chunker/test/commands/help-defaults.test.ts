import { DEFAULT_TREND_RUNS } from "@mass-ingest/report";
import { DEFAULT_LS_REMOTE_CONCURRENCY, DEFAULT_LS_REMOTE_TIMEOUT_MS, DEFAULT_TIME_BUDGET_MS } from "@mass-ingest/state";
import { expect, it } from "vitest";
import { HELP_DEFAULTS } from "../../src/commands/help-defaults.js";
import { DEFAULT_PROCESSOR_VCPUS } from "../../src/commands/report/settings.js";

it("the defaults --help states are the libraries' defaults", () => {
  expect(HELP_DEFAULTS).toEqual({
    timeBudgetMinutes: DEFAULT_TIME_BUDGET_MS / 60_000,
    lsRemoteConcurrency: DEFAULT_LS_REMOTE_CONCURRENCY,
    lsRemoteTimeoutSeconds: DEFAULT_LS_REMOTE_TIMEOUT_MS / 1000,
    trendRuns: DEFAULT_TREND_RUNS,
    processorVcpus: DEFAULT_PROCESSOR_VCPUS,
  });
});
