import { describe, expect, it } from "vitest";
import {
  CHUNK_COMMAND,
  CHUNKER_ENV,
  CHUNKER_SECRET_ENV_NAMES,
  DEFAULTS,
  EXIT,
  exitCodeForSignal,
  MANAGED_PROCESSOR_ENV_NAMES,
  PROCESSOR_COMMAND,
  PROCESSOR_ENV,
  PROCESSOR_PARAMETER_DEFAULTS,
  PROCESSOR_PARAMETERS,
  REPORT_COMMAND,
  RESOLVABLE_ENV_NAMES,
  SECRET_ENV_NAMES,
  substituteCommand,
} from "../src/index.js";

const refs = (command: readonly string[]) => command.flatMap((arg) => [...arg.matchAll(/Ref::([A-Za-z0-9_]+)/g)].map((m) => m[1]));

describe("the job contract", () => {
  it("every Ref:: in the commands is a parameter, and every parameter is in the processor command with a default", () => {
    const names = Object.values(PROCESSOR_PARAMETERS);
    expect(refs(PROCESSOR_COMMAND).sort()).toEqual([...names].sort());
    for (const ref of refs(CHUNK_COMMAND)) expect(names).toContain(ref);
    expect(refs(REPORT_COMMAND)).toEqual(["runId"]);
    for (const key of Object.keys(PROCESSOR_PARAMETERS)) expect(PROCESSOR_PARAMETER_DEFAULTS).toHaveProperty(key);
  });

  it("the defaults the job definition carries are the shared defaults", () => {
    expect(PROCESSOR_PARAMETER_DEFAULTS.partitionSize).toBe(String(DEFAULTS.partitionSize));
    expect(PROCESSOR_PARAMETER_DEFAULTS.csv).toBe(DEFAULTS.csv);
    expect(DEFAULTS.buildTimeoutSeconds).toBeLessThan(DEFAULTS.processorTimeoutSeconds);
  });

  it("substitutes parameters the way AWS Batch does", () => {
    const command = substituteCommand(PROCESSOR_COMMAND, { csv: "s3://b/repos.csv", runId: "r1" }, PROCESSOR_PARAMETER_DEFAULTS);
    expect(command).toEqual([
      "mass-ingest-processor",
      "s3://b/repos.csv",
      "--partition-size",
      "50",
      "--row-count",
      "0",
      "--run-id",
      "r1",
      "--start",
      "0",
      "--end",
      "0",
      "--partitions",
      "all",
      "--plan",
      "none",
    ]);
    expect(substituteCommand(["x", "Ref::unknown"], {})).toEqual(["x", "Ref::unknown"]);
  });

  it("names every environment variable once, with unique names per app", () => {
    for (const table of [PROCESSOR_ENV, CHUNKER_ENV]) {
      const names = Object.values(table).map((v) => v.name);
      expect(new Set(names).size).toBe(names.length);
      for (const v of Object.values(table)) {
        expect(v.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
        expect(v.description.length).toBeGreaterThan(10);
      }
    }
  });

  it("secrets are resolvable and redacted; the stack manages exactly the deployment's names", () => {
    expect(SECRET_ENV_NAMES).toEqual(["PUBLISH_PASSWORD", "PUBLISH_TOKEN", "MODERNE_TOKEN", "GIT_CREDENTIALS", "GIT_SSH_CREDENTIALS"]);
    for (const name of SECRET_ENV_NAMES) expect(RESOLVABLE_ENV_NAMES).toContain(name);
    expect(RESOLVABLE_ENV_NAMES).toEqual(expect.arrayContaining(["PUBLISH_URL", "PUBLISH_USER", "MODERNE_TENANT"]));
    expect([...MANAGED_PROCESSOR_ENV_NAMES].sort()).toEqual(
      [
        "AWS_REGION",
        "BATCH_SIZE",
        "BUILD_TIMEOUT",
        "DATA_DIR",
        "JOB_TIMEOUT",
        "GIT_CREDENTIALS",
        "GIT_SSH_CREDENTIALS",
        "MODERNE_TENANT",
        "MODERNE_TOKEN",
        "PUBLISH_PASSWORD",
        "PUBLISH_TOKEN",
        "PUBLISH_URL",
        "PUBLISH_USER",
        "S3_ENDPOINT",
        "S3_PROFILE",
        "S3_REGION",
        "STATE_URL",
      ].sort(),
    );
  });

  it("the chunker's secrets are exactly the git credentials its ls-remote pass needs", () => {
    expect(CHUNKER_SECRET_ENV_NAMES).toEqual(["GIT_CREDENTIALS", "GIT_SSH_CREDENTIALS"]);
  });

  it("exit codes", () => {
    expect(EXIT).toEqual({ ok: 0, someFailed: 1, badInput: 2, sigint: 130, sigterm: 143 });
    expect(exitCodeForSignal("SIGINT")).toBe(130);
    expect(exitCodeForSignal("SIGTERM")).toBe(143);
  });
});
