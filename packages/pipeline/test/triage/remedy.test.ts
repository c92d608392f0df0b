import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RepoRow } from "@mass-ingest/partition";
import { availableJdks, currentRemedies, decideRemedy, jdkMajor, namedJdk, withRemedies } from "../../src/triage/remedy.js";

describe("namedJdk: the Java version a toolchain error names", () => {
  it.each([
    ["Unsupported class file major version 65", 21],
    ["java.lang.IllegalArgumentException: Unsupported class file major version 61", 17],
    ["UnsupportedClassVersionError: a/B has been compiled by a more recent version of the Java Runtime (class file version 55.0)", 11],
    ["[ERROR] Fatal error compiling: invalid target release: 17", 17],
    ["error: invalid source release: 1.8", 8],
    ["error: release version 21 not supported", 21],
    ["No matching toolchains found for requested specification: {languageVersion=17, vendor=any, implementation=vendor-specific}", 17],
  ])("%s -> %i", (line, major) => {
    expect(namedJdk(["BUILD FAILURE", line])).toEqual({ major, line });
  });

  it("no version named: undefined", () => {
    expect(namedJdk(["JAVA_HOME is not defined correctly", "release version not supported"])).toBeUndefined();
  });
});

describe("decideRemedy", () => {
  const lines = ["build of a/b: buildOutcome Failed", "Unsupported class file major version 65"];
  it("retries with the named JDK when the machine has it", () => {
    expect(decideRemedy(lines, "17", [8, 17, 21])).toEqual({ action: "retry", jdk: 21, line: lines[1] });
  });
  it("says what is missing when it does not", () => {
    expect(decideRemedy(lines, undefined, [8, 11, 17])).toEqual({ action: "missing", jdk: 21, line: lines[1], available: [8, 11, 17] });
  });
  it("nothing when the build already used that JDK, or the cause is not toolchain", () => {
    expect(decideRemedy(lines, "21-tem", [21])).toEqual({ action: "none" });
    expect(decideRemedy(["COMPILATION ERROR", "OutOfMemoryError: Java heap space (release version 21 not supported)"], "17", [21])).toEqual(
      {
        action: "none",
      },
    );
    expect(decideRemedy(["COMPILATION ERROR"], "17", [21])).toEqual({ action: "none" });
  });
});

describe("the machine's JDKs and the remedies of rows", () => {
  it("JAVA_HOME_<n>_X64 variables and JAVA_HOME's release file, each once, sorted", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "jdk-"));
    await writeFile(path.join(home, "release"), 'JAVA_VERSION="1.8.0_392"\n');
    expect(
      availableJdks({
        JAVA_HOME: home,
        JAVA_HOME_21_X64: "/j21",
        JAVA_HOME_17_AARCH64: "/j17",
        JAVA_HOME_11_X64: "",
        JAVA_HOME_8_X64: "/j8",
      }),
    ).toEqual([8, 17, 21]);
    expect(availableJdks({ JAVA_HOME: path.join(home, "missing") })).toEqual([]);
    await rm(home, { recursive: true, force: true });
  });

  it("jdkMajor reads the java column's forms", () => {
    expect([jdkMajor("17"), jdkMajor("17-tem"), jdkMajor("17.0.6-tem"), jdkMajor("1.8"), jdkMajor(""), jdkMajor(undefined)]).toEqual([
      17,
      17,
      17,
      8,
      undefined,
      undefined,
    ]);
  });

  it("a remedy holds while the row's java column is what it was; it sets the row's java", () => {
    const rows = [{ row: 1, java: "17" }, { row: 2 }, { row: 3, java: "11" }] as RepoRow[];
    const remedies = new Map([
      [1, { jdk: "21", rowJava: "17" }],
      [2, { jdk: "11" }],
      [3, { jdk: "21", rowJava: "17" }],
    ]);
    const current = currentRemedies(rows, remedies);
    expect([...current.keys()]).toEqual([1, 2]);
    expect(withRemedies(rows, current).map((r) => r.java)).toEqual(["21", "11", "11"]);
  });
});
