import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import {
  buildProcessorParameters,
  PROCESSOR_BIN,
  PROCESSOR_COMMAND,
  PROCESSOR_PARAMETER_DEFAULTS,
  substituteCommand,
} from "@mass-ingest/contract";
import { parseArgs } from "./helpers.js";

describe("processor arguments", () => {
  it("accepts exactly the job definition's command line, defaults included", async () => {
    const command = substituteCommand(PROCESSOR_COMMAND, {}, PROCESSOR_PARAMETER_DEFAULTS);
    expect(command[0]).toBe(PROCESSOR_BIN);
    const { csv, flags } = await parseArgs(command.slice(1));
    expect(csv).toBe("/app/repos.csv");
    expect(flags).toMatchObject({ partitionSize: 50, rowCount: 0, runId: "manual", start: 0, end: 0, partitions: "all" });
  });

  it("accepts the parameters the chunker fills in", async () => {
    const parameters = buildProcessorParameters({
      csv: "s3://bucket/repos.csv",
      partitionSize: 25,
      rowCount: 1000,
      runId: "run-7",
      partitions: [3, 7, 12],
    });
    const { csv, flags } = await parseArgs(substituteCommand(PROCESSOR_COMMAND, parameters).slice(1));
    expect(csv).toBe("s3://bucket/repos.csv");
    expect(flags).toMatchObject({ partitionSize: 25, rowCount: 1000, runId: "run-7", partitions: "3,7,12", start: 0, end: 0 });
  });

  it("accepts today's worker flags", async () => {
    const { csv, flags } = await parseArgs(["repos.csv", "--start", "51", "--end", "100", "--timeout", "600", "-o", "Spring"]);
    expect(csv).toBe("repos.csv");
    expect(flags).toMatchObject({ start: 51, end: 100, timeout: 600, organization: "Spring" });
    expect((await parseArgs([])).csv).toBeUndefined();
  });

  it("rejects malformed numbers and unknown flags", async () => {
    await expect(parseArgs(["x.csv", "--start", "abc"])).rejects.toThrow(CommanderError);
    await expect(parseArgs(["x.csv", "--timeout", "0"])).rejects.toThrow(CommanderError);
    await expect(parseArgs(["x.csv", "--bogus"])).rejects.toThrow(CommanderError);
  });
});
