// The processor's env schema and --help are generated from the contract's PROCESSOR_ENV table: a new row shows up
// in both without another hand-written copy, with the table's default.
import { describe, expect, it } from "vitest";
import { envDefaultText, PROCESSOR_ENV, WHOLE_NUMBER_KINDS } from "@mass-ingest/contract/env";
import { ENV_FLAGS, envFlagHelp } from "../src/env-flags.js";
import { envSchema } from "../src/env-schema.js";
import { createProgram } from "../src/program.js";
import { parseArgs } from "./helpers.js";

/** `--help` as the program prints it, unwrapped (commander wraps the option descriptions). */
function helpText(): { raw: string; flat: string } {
  let raw = "";
  const program = createProgram({ out: (s) => (raw += s), err: () => {} }, async () => {}).exitOverride();
  program.outputHelp();
  return { raw, flat: raw.replace(/\s+/g, " ") };
}

const rows = Object.values(PROCESSOR_ENV);

describe("the settings declared once, in the contract", () => {
  it("the env schema has exactly one entry per table row", () => {
    expect(Object.keys(envSchema.shape).sort()).toEqual(rows.map((r) => r.name).sort());
  });

  it.each(rows.filter((r) => WHOLE_NUMBER_KINDS.includes(r.kind)).map((r) => [r.name, r] as const))(
    "%s is checked as a whole number from its minimum",
    (name, row) => {
      expect(envSchema.safeParse({ [name]: String(row.min) }).data?.[name]).toBe(row.min);
      expect(envSchema.safeParse({ [name]: "abc" }).success).toBe(false);
      if (row.min! > 0) expect(envSchema.safeParse({ [name]: String(row.min! - 1) }).success).toBe(false);
    },
  );

  it("every other kind is text, blank meaning unset", () => {
    for (const row of rows.filter((r) => !WHOLE_NUMBER_KINDS.includes(r.kind))) {
      expect(envSchema.safeParse({ [row.name]: " " }).data?.[row.name], row.name).toBeUndefined();
      expect(envSchema.safeParse({ [row.name]: "x-1" }).data?.[row.name], row.name).toBe("x-1");
    }
  });

  it("--help lists every row with the table's default", () => {
    const { raw } = helpText();
    const environment = raw.slice(raw.indexOf("Environment"));
    for (const row of rows) {
      const line = environment.split("\n").find((l) => l.trimStart().startsWith(`${row.name} `));
      expect(line, row.name).toBeDefined();
      const fallback = envDefaultText(row);
      if (fallback !== undefined) expect(line, row.name).toContain(`(default ${fallback})`);
      else expect(line, row.name).not.toContain("(default");
    }
  });

  it("every flag that overrides a variable says which, with the table's default", async () => {
    const { flat } = helpText();
    for (const flag of ENV_FLAGS) {
      expect(flat).toContain(`${flag.flags} ${envFlagHelp(flag)}`);
      const fallback = envDefaultText(flag.row);
      expect(envFlagHelp(flag)).toContain(fallback === undefined ? `(${flag.row.name})` : `(${flag.row.name}, default ${fallback})`);
    }
  });

  it("each flag's key is commander's name for it", async () => {
    for (const flag of ENV_FLAGS) {
      const value = flag.flags.includes("<")
        ? flag.flags.includes("<n>") || flag.flags.includes("<port>") || flag.flags.includes("<seconds>")
          ? "7"
          : "v"
        : undefined;
      const { flags } = await parseArgs(value === undefined ? [flag.flags] : [flag.flags.split(" ")[0]!, value]);
      expect((flags as unknown as Record<string, unknown>)[flag.key], flag.flags).toBe(
        value === undefined ? true : "parse" in flag ? 7 : "v",
      );
    }
  });
});
