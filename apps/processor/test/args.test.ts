import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { PROCESSOR_BIN, PROCESSOR_COMMAND, PROCESSOR_PARAMETER_DEFAULTS, buildProcessorParameters, substituteCommand } from "@mass-ingest/batch";
import { parseArgs } from "../src/args.js";

describe("processor arguments", () => {
  it("accepts exactly the job definition's command line, defaults included", () => {
    const command = substituteCommand(PROCESSOR_COMMAND, {}, PROCESSOR_PARAMETER_DEFAULTS);
    expect(command[0]).toBe(PROCESSOR_BIN);
    const args = parseArgs(command.slice(1));
    expect(args).toMatchObject({ csv: "/app/repos.csv", partitionSize: 50, rowCount: 0, runId: "manual", start: 0, end: 0, partitions: "all" });
  });

  it("accepts the parameters the chunker fills in", () => {
    const parameters = buildProcessorParameters({ csv: "s3://bucket/repos.csv", partitionSize: 25, rowCount: 1000, runId: "run-7", partitions: [3, 7, 12] });
    const args = parseArgs(substituteCommand(PROCESSOR_COMMAND, parameters).slice(1));
    expect(args).toMatchObject({ csv: "s3://bucket/repos.csv", partitionSize: 25, rowCount: 1000, runId: "run-7", partitions: "3,7,12", start: 0, end: 0 });
  });

  it("accepts today's worker flags", () => {
    expect(parseArgs(["repos.csv", "--start", "51", "--end", "100", "--timeout", "600", "-o", "Spring"])).toMatchObject({
      csv: "repos.csv",
      start: 51,
      end: 100,
      timeout: 600,
      organization: "Spring",
    });
    expect(parseArgs([]).csv).toBeUndefined();
  });

  it("rejects malformed numbers and unknown flags", () => {
    expect(() => parseArgs(["x.csv", "--start", "abc"])).toThrow(CommanderError);
    expect(() => parseArgs(["x.csv", "--timeout", "0"])).toThrow(CommanderError);
    expect(() => parseArgs(["x.csv", "--bogus"])).toThrow(CommanderError);
  });
});
