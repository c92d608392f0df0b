// Every default `mass-ingest doctor --help` states is the one the doctor library applies when the flag is not given
// (table-driven from commander's own option list).
import { DEFAULT_THRESHOLDS } from "@mass-ingest/doctor";
import type { Option } from "commander";
import { describe, expect, it } from "vitest";
import { DEFAULT_CHECK_TIMEOUT_MS, DEFAULT_JDK_ROOTS } from "../../../packages/doctor/src/defaults.js";
import { createProgram, DOCTOR_FLAG_DEFAULTS } from "../src/program.js";

const program = createProgram({ out: () => {}, err: () => {} }, async () => {});
const doctor = program.commands.find((c) => c.name() === "doctor")!;
const GIB = 1024 ** 3;

/** The library's default of each flag with a stated value, in the flag's own unit, as help writes it. */
const LIBRARY: Record<string, string> = {
  "--jdk-root": DEFAULT_JDK_ROOTS.join(" and "),
  "--disk-warn-gib": String(DEFAULT_THRESHOLDS.diskWarnBytes / GIB),
  "--disk-fail-gib": String(DEFAULT_THRESHOLDS.diskFailBytes / GIB),
  "--memory-warn-gib": String(DEFAULT_THRESHOLDS.memoryWarnBytes / GIB),
  "--memory-fail-gib": String(DEFAULT_THRESHOLDS.memoryFailBytes / GIB),
  "--timeout": String(DEFAULT_CHECK_TIMEOUT_MS / 1000),
};
/** Defaults in words or commander's own (`--json`, `--allow-file-urls`: false). */
const OTHER = ["--data-dir", "--state", "--json", "--allow-file-urls"];

const stated = (o: Option) => /\(.*?\bdefault:? ([^;)]+)\)/.exec(o.description)?.[1];

describe("mass-ingest doctor --help", () => {
  const withDefault = doctor.options.filter((o) => o.defaultValue !== undefined || stated(o) !== undefined);

  it("states only defaults this test knows", () => {
    expect(withDefault.map((o) => o.long!).sort()).toEqual([...Object.keys(LIBRARY), ...OTHER].sort());
  });

  it.each(Object.entries(LIBRARY))("%s: the default it states is the library's (%s)", (flag, value) => {
    expect(stated(doctor.options.find((o) => o.long === flag)!)).toBe(value);
  });

  it("DOCTOR_FLAG_DEFAULTS are the library's", () => {
    expect(DOCTOR_FLAG_DEFAULTS.jdkRoots).toEqual(DEFAULT_JDK_ROOTS);
    expect(DOCTOR_FLAG_DEFAULTS.timeoutSeconds * 1000).toBe(DEFAULT_CHECK_TIMEOUT_MS);
  });
});
