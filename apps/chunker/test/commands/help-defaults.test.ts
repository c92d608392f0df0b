import { DEFAULTS } from "@mass-ingest/contract/env";
import { DEFAULT_TREND_RUNS } from "@mass-ingest/report";
import { DEFAULT_LS_REMOTE_CONCURRENCY, DEFAULT_LS_REMOTE_TIMEOUT_MS, DEFAULT_TIME_BUDGET_MS } from "@mass-ingest/state";
import { expect, it } from "vitest";
import { DEFAULT_PROCESSOR_VCPUS } from "../../src/commands/report/settings.js";

it("the defaults --help states (the contract's) are the libraries' defaults", () => {
  expect({
    timeBudgetMs: DEFAULTS.timeBudgetMs,
    lsRemoteConcurrency: DEFAULTS.lsRemoteConcurrency,
    lsRemoteTimeoutMs: DEFAULTS.lsRemoteTimeoutMs,
    trendRuns: DEFAULTS.trendRuns,
    processorVcpus: DEFAULTS.processorVcpus,
  }).toEqual({
    timeBudgetMs: DEFAULT_TIME_BUDGET_MS,
    lsRemoteConcurrency: DEFAULT_LS_REMOTE_CONCURRENCY,
    lsRemoteTimeoutMs: DEFAULT_LS_REMOTE_TIMEOUT_MS,
    trendRuns: DEFAULT_TREND_RUNS,
    processorVcpus: DEFAULT_PROCESSOR_VCPUS,
  });
});
