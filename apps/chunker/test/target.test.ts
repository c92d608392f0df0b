import { expect, it } from "vitest";
import { parseSettings } from "../src/settings.js";
import { targetInput, targetSchema } from "../src/target.js";

const parse = (target: string, flags = {}, env = {}) => parseSettings(targetSchema, targetInput(target, flags, env));

it("a job id is taken as is, anything else is a checked run id; queue and prefix from the flag, else the environment", () => {
  const jobId = "8f3c2a1e-5b6d-4c7e-9f80-1a2b3c4d5e6f";
  expect(parse(jobId)).toEqual({ jobId });
  expect(parse("n1", { jobName: "nightly" }, { JOB_QUEUE: "q" })).toEqual({ runId: "n1", jobName: "nightly", jobQueue: "q" });
  expect(parse("n1", { jobQueue: "flag-q" }, { JOB_QUEUE: "env-q", JOB_NAME: "  " })).toEqual({ runId: "n1", jobQueue: "flag-q" });
  expect(() => parse("not a run id")).toThrow(expect.objectContaining({ code: "INVALID_RUN_ID", exitCode: 2 }));
});
