import { describe, expect, it } from "vitest";
import { CHUNKER_ENV, DEFAULTS, describeEnv, envDefaultText, envHelp, PROCESSOR_ENV, WHOLE_NUMBER_KINDS } from "../src/index.js";

describe("the environment tables declare each setting's kind and default", () => {
  const rows = [...Object.values(PROCESSOR_ENV), ...Object.values(CHUNKER_ENV)];

  it("every whole-number row has a minimum, and its default is a whole number at or above it", () => {
    for (const row of rows.filter((r) => WHOLE_NUMBER_KINDS.includes(r.kind))) {
      expect(row.min, row.name).toBeTypeOf("number");
      if (row.default !== undefined) {
        expect(Number.isInteger(row.default), row.name).toBe(true);
        expect(row.default as number, row.name).toBeGreaterThanOrEqual(row.min!);
      }
    }
    for (const row of rows.filter((r) => !WHOLE_NUMBER_KINDS.includes(r.kind))) expect(row.min, row.name).toBeUndefined();
  });

  it("an enum row lists its values and its default is one of them; no row has a value and a derived default", () => {
    for (const row of rows) {
      if (row.kind === "enum") expect(row.values, row.name).toContain(row.default);
      else expect(row.values, row.name).toBeUndefined();
      expect(row.default !== undefined && row.derivedDefault !== undefined, row.name).toBe(false);
      if (row.kind === "boolean" && row.default !== undefined) expect(row.default, row.name).toBeTypeOf("boolean");
    }
  });

  it("the defaults are the contract's DEFAULTS", () => {
    expect(PROCESSOR_ENV.buildTimeout.default).toBe(DEFAULTS.buildTimeoutSeconds);
    expect(PROCESSOR_ENV.batchSize.default).toBe(DEFAULTS.batchSize);
    expect(PROCESSOR_ENV.syncConcurrency.default).toBe(DEFAULTS.concurrency.sync);
    expect(PROCESSOR_ENV.publishConcurrency.default).toBe(DEFAULTS.concurrency.publish);
    expect(PROCESSOR_ENV.maxPending.default).toBe(DEFAULTS.concurrency.maxPending);
    expect([PROCESSOR_ENV.syncTimeout.default, PROCESSOR_ENV.publishTimeout.default]).toEqual([1800, 1800]);
    expect(CHUNKER_ENV.partitionSize.default).toBe(DEFAULTS.partitionSize);
    expect(DEFAULTS.timeBudgetMs).toBe(48 * 60_000);
  });

  it("says each row's default in words, and lists every row in the help block", () => {
    expect(envDefaultText(PROCESSOR_ENV.syncTimeout)).toBe("1800");
    expect(envDefaultText(PROCESSOR_ENV.insecure)).toBe("false");
    expect(envDefaultText(PROCESSOR_ENV.modCli)).toBe("`mod` on PATH, else the modw wrapper");
    expect(envDefaultText(PROCESSOR_ENV.publishUrl)).toBeUndefined();
    expect(describeEnv(PROCESSOR_ENV.stopGrace)).toMatch(/exits \(default 60\)$/);
    const help = envHelp("Environment", PROCESSOR_ENV);
    const lines = help.split("\n");
    expect(lines[0]).toBe("Environment:");
    expect(lines).toHaveLength(Object.keys(PROCESSOR_ENV).length + 1);
    expect(help).toContain("PUBLISH_PASSWORD");
    expect(lines.find((l) => l.includes("PUBLISH_TOKEN"))).toMatch(/\[secret\]$/);
  });
});
