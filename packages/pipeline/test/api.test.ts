import { describe, expect, it } from "vitest";
import { MassIngestError } from "@mass-ingest/core";
import { PipelineError } from "../src/index.js";

describe("public API", () => {
  it("exports exactly these names (a change here is a deliberate API change)", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "ExecaModCli",
      "FileLogStore",
      "HttpLogStore",
      "INSTALL_HINT",
      "ModCapabilities",
      "PipelineError",
      "S3LogStore",
      "chooseArtifactStore",
      "classifyResult",
      "configureMod",
      "configurePlan",
      "configureProbes",
      "createLogStore",
      "ingest",
      "listenAll",
      "logIndex",
      "logKeys",
      "logTimestamp",
      "parseCliVersion",
      "parseHelpOptions",
      "prepareGitAuth",
      "probeCapabilities",
      "pruneWorkDirs",
      "readTrace",
      "resolveModCommand",
      "runPipeline",
      "stageOutcome",
      "startRunMetrics",
      "storeAuthHeaders",
      "storeDispatcher",
      "workDirName",
      "workKey",
    ]);
  });

  it("PipelineError is a MassIngestError: exit 2 for configuration codes, 1 for failures of the work", () => {
    for (const code of [
      "CONFIG_INVALID",
      "MOD_CLI_UNAVAILABLE",
      "MOD_CLI_INCAPABLE",
      "CONFIGURE_FAILED",
      "LOG_STORE_URL_INVALID",
    ] as const) {
      const e = new PipelineError(code, "m");
      expect(e).toBeInstanceOf(MassIngestError);
      expect([e.name, e.code, e.exitCode]).toEqual(["PipelineError", code, 2]);
    }
    for (const code of ["UPLOAD_FAILED", "UPLOAD_REJECTED"] as const) {
      expect(new PipelineError(code, "m").exitCode).toBe(1);
    }
  });
});
