import { expect, it } from "vitest";
import { formatRunSummary, type RunStatusSummary } from "../../../src/commands/status/state-status.js";

const summary = (planned: number, notStarted: number): RunStatusSummary => ({
  runId: "r1",
  planned,
  ok: planned - notStarted,
  failed: 0,
  timedOut: 0,
  unchanged: 0,
  notStarted,
  predictedMakespanMs: 0,
  actualMakespanMs: 0,
  failures: [],
});

it("leads with the repositories planned and says 1 repository, not 1 repositories", () => {
  const [head, tail] = formatRunSummary(summary(1, 1)).split("\n");
  expect(head).toMatch(/^run r1: 1 repository planned: ok 0,/);
  expect(tail).toBe(
    "  1 planned repository has no result: the run is still going, was interrupted or never ran (status --close ends a run that never will)",
  );
  expect(formatRunSummary(summary(3, 2))).toMatch(/^run r1: 3 repositories planned: ok 1,[^]*\n {2}2 planned repositories have no result/);
});
