import { MassIngestError, type Logger } from "@mass-ingest/core";
import { expect, it } from "vitest";
import { printError } from "../src/print-error.js";

function capture(isTTY: boolean) {
  const logged: unknown[] = [];
  let text = "";
  const logger = { error: (...args: unknown[]) => logged.push(args) } as unknown as Logger;
  const stderr = { isTTY, write: (s: string) => (text += s) };
  printError(logger, new MassIngestError("BAD_CSV", "repos.csv is empty", { hint: "Add a header row." }), 2, stderr);
  return { logged, text };
}

it("on a terminal the error is printed once, as one human line and its hint", () => {
  const { logged, text } = capture(true);
  expect(logged).toEqual([]);
  expect(text).toBe("mass-ingest-chunker: [BAD_CSV] repos.csv is empty\n  hint: Add a header row.\n");
});

it("off a terminal a JSON log line (for the log collector) comes first", () => {
  const { logged, text } = capture(false);
  expect(logged).toHaveLength(1);
  expect(text).toContain("[BAD_CSV] repos.csv is empty");
});
