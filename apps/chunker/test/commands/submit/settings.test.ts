import { CHUNKER_ENV, DEFAULTS } from "@mass-ingest/contract";
import { describe, expect, it } from "vitest";
import { maxStaleFor, submitSettings } from "../../../src/commands/submit/settings.js";

const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; hint?: string; exitCode: number };
  }
  throw new Error("expected an error");
};

describe("submitSettings: flags + environment -> one validated settings object", () => {
  it("takes the defaults from the contract and the flag over the environment", () => {
    const s = submitSettings("repos.csv", { dryRun: true, runId: "r1" }, {});
    expect(s).toMatchObject({
      partitionSize: DEFAULTS.partitionSize,
      jobName: DEFAULTS.jobName,
      runId: "r1",
      childCsv: "repos.csv",
      executor: "batch",
      checkSecrets: true,
    });
    const env = { [CHUNKER_ENV.partitionSize.name]: "25", [CHUNKER_ENV.jobName.name]: "nightly", [CHUNKER_ENV.runId.name]: "from-env" };
    expect(submitSettings("repos.csv", { dryRun: true }, env)).toMatchObject({ partitionSize: 25, jobName: "nightly", runId: "from-env" });
    expect(submitSettings("repos.csv", { dryRun: true, partitionSize: "7", runId: "flag" }, env)).toMatchObject({
      partitionSize: 7,
      runId: "flag",
    });
  });

  it("needs the queue and the job definition only for a real Batch submit", () => {
    const e = error(() => submitSettings("repos.csv", { jobDefinition: "d", runId: "r" }, {}));
    expect(e).toMatchObject({ code: "MISSING_SETTING", exitCode: 2 });
    expect(e.message).toBe("No job queue: pass --job-queue or set JOB_QUEUE.");
    expect(error(() => submitSettings("repos.csv", { runId: "r" }, { JOB_QUEUE: "q" })).message).toContain("--job-definition");
    expect(submitSettings("repos.csv", { runId: "r", executor: "local" }, {})).toMatchObject({ jobQueue: "<job-queue>", parallel: 2 });
  });

  it("names the flag and the variable of a bad number, and checks the run id", () => {
    const e = error(() => submitSettings("repos.csv", { dryRun: true }, { PARTITION_SIZE: "zero" }));
    expect(e).toMatchObject({ code: "INVALID_SETTING", exitCode: 2, hint: "Pass e.g. --partition-size 50." });
    expect(e.message).toBe('--partition-size / PARTITION_SIZE must be a whole number >= 1, got "zero".');
    expect(error(() => submitSettings("repos.csv", { dryRun: true, runId: "a b" }, {}))).toMatchObject({ code: "INVALID_RUN_ID" });
    expect(error(() => submitSettings("repos.csv", { executor: "local", parallel: "0", runId: "r" }, {})).message).toContain("--parallel");
    // settings a mode does not use are not checked in it
    expect(submitSettings("repos.csv", { dryRun: true, runId: "r", interval: "x", concurrency: "y" }, {})).toMatchObject({
      interval: 30,
      concurrency: 8,
    });
  });
});

describe("--max-stale: a cap on max-age rebuilds a night", () => {
  it("is auto with fill by default, takes a whole number, auto or off, and refuses anything else", () => {
    expect(submitSettings("repos.csv", { dryRun: true, runId: "r" }, {})).toMatchObject({ maxStale: "auto", fillStale: true });
    expect(submitSettings("repos.csv", { dryRun: true, runId: "r", maxStale: "off", fillStale: false }, {})).toMatchObject({
      maxStale: "off",
      fillStale: false,
    });
    expect(submitSettings("repos.csv", { dryRun: true, runId: "r", fillStale: true }, {}).fillStale).toBe(true);
    expect(submitSettings("repos.csv", { dryRun: true, runId: "r", maxStale: "1500" }, {}).maxStale).toBe(1500);
    expect(submitSettings("repos.csv", { dryRun: true, runId: "r", maxStale: "0" }, {}).maxStale).toBe(0);
    expect(submitSettings("repos.csv", { dryRun: true, runId: "r", maxStale: "auto" }, {}).maxStale).toBe("auto");
    const e = error(() => submitSettings("repos.csv", { dryRun: true, runId: "r", maxStale: "-3" }, {}));
    expect(e).toMatchObject({ code: "INVALID_SETTING", exitCode: 2 });
    expect(e.message).toBe('--max-stale must be a whole number >= 0, "auto" or "off", got "-3".');
  });

  it("auto is the rows over the max-age days, rounded up; none when the max age is 0", () => {
    const week = 7 * 86_400_000;
    expect(maxStaleFor("auto", 10_000, week)).toBe(1429);
    expect(maxStaleFor("auto", 10_000, 2 * 86_400_000)).toBe(5000);
    expect(maxStaleFor("auto", 10_000, 0)).toBeUndefined();
    expect(maxStaleFor(300, 10_000, week)).toBe(300);
    expect(maxStaleFor(undefined, 10_000, week)).toBeUndefined();
    expect(maxStaleFor("off", 10_000, week)).toBeUndefined();
  });
});
