import { describe, expect, it } from "vitest";
import { classifyFailure, parseTriageRules } from "../../src/triage/classify.js";

const failed = (step: "sync" | "build" | "publish", ...lines: string[]) => ({ outcome: "failed" as const, step, lines });

describe("classifyFailure", () => {
  it.each([
    ["auth", failed("sync", "remote: HTTP Basic: Access denied", "fatal: Authentication failed for 'https://git.example/a.git/'")],
    [
      "auth",
      failed(
        "build",
        "[ERROR] Failed to execute goal on project a: Could not resolve dependencies: status code: 401, reason phrase: Unauthorized",
      ),
    ],
    ["not-found", failed("sync", "remote: Repository not found.", "fatal: repository 'https://git.example/gone.git/' not found")],
    [
      "not-found",
      failed(
        "sync",
        "warning: Could not find remote branch feature/x to clone.",
        "fatal: Remote branch feature/x not found in upstream origin",
      ),
    ],
    ["toolchain", failed("build", "[ERROR] Fatal error compiling: error: invalid target release: 21 -> [Help 1]", "[INFO] BUILD FAILURE")],
    ["toolchain", failed("build", "java.lang.IllegalArgumentException: Unsupported class file major version 69")],
    ["memory", failed("build", 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', "BUILD FAILURE")],
    ["disk", failed("build", "java.io.IOException: No space left on device")],
    ["transient", failed("publish", "PUT https://repo.example/a.jar: 503 Service Unavailable")],
    ["transient", failed("sync", "error: RPC failed; curl 56 Recv failure: Connection reset by peer", "fatal: early EOF")],
    [
      "transient",
      failed("build", "[ERROR] Could not transfer artifact org.a:b:pom:1.0 from/to central: status code: 502, reason phrase: Bad Gateway"),
    ],
    [
      "build",
      failed("build", "[ERROR] COMPILATION ERROR :", "[ERROR] /src/A.java:[3,5] error: cannot find symbol", "[INFO] BUILD FAILURE"),
    ],
    ["build", failed("build", "[ERROR] There are test failures.")],
    ["unknown", failed("build", "something odd happened")],
    ["unknown", failed("publish", "`mod publish /data/work/row-500` exited 1")],
    ["unknown", failed("sync", "`mod git sync csv /data/work/row-401 /data/work/row-401.csv` exited 1")],
    ["transient", failed("sync", "error: RPC failed; HTTP 503 curl 22 The requested URL returned error: 503")],
    ["auth", failed("sync", "fatal: unable to access 'https://git.example/a.git/': The requested URL returned error: 403")],
  ])("%s: %j", (cause, input) => {
    expect(classifyFailure(input).cause).toBe(cause);
  });

  it("a timeout is a timeout whatever the log says", () => {
    expect(classifyFailure({ outcome: "timed-out", step: "build", lines: ["BUILD FAILURE"] })).toEqual({ cause: "timeout" });
  });

  it("a 5xx during a build's own tests is not transient, only on the network steps or while fetching dependencies", () => {
    expect(classifyFailure(failed("build", "expected status 503 but was 200", "There are test failures")).cause).toBe("build");
  });

  it("a SIGKILL with no telling line is memory (the kernel's OOM killer)", () => {
    expect(classifyFailure({ outcome: "failed", step: "build", signal: "SIGKILL", lines: [] }).cause).toBe("memory");
    expect(classifyFailure({ outcome: "failed", step: "build", exitCode: 137, lines: ["Killed"] }).cause).toBe("memory");
  });

  it("returns the line that showed the cause", () => {
    const line = "fatal: Authentication failed for 'https://git.example/a.git/'";
    expect(classifyFailure(failed("sync", "Cloning into 'a'...", line))).toEqual({ cause: "auth", evidence: line });
  });

  it("user rules come first", () => {
    const rules = parseTriageRules(
      JSON.stringify([{ cause: "transient", pattern: "artifactory is restarting", steps: ["build"] }]),
      "rules.json",
    );
    const input = failed("build", "[ERROR] artifactory is restarting", "BUILD FAILURE");
    expect(classifyFailure(input).cause).toBe("build");
    expect(classifyFailure(input, rules).cause).toBe("transient");
  });
});

describe("parseTriageRules", () => {
  it.each([
    ["not json", /rules\.json: not JSON/],
    ['{"cause":"auth"}', /not a JSON array/],
    ['[{"cause":"weather","pattern":"x"}]', /rule 0: "cause" must be one of auth, not-found/],
    ['[{"cause":"auth"}]', /rule 0: "pattern"/],
    ['[{"cause":"auth","pattern":"("}]', /rule 0: bad pattern/],
    ['[{"cause":"auth","pattern":"x","steps":["deploy"]}]', /"steps" must be a list of sync, build, publish/],
    ['[{"cause":"auth","pattern":"x","flags":"g"}]', /"flags"/],
  ])("refuses %s with a message naming the file and the rule", (json, message) => {
    expect(() => parseTriageRules(json, "rules.json")).toThrow(message);
  });

  it("defaults to case-insensitive patterns", () => {
    const [rule] = parseTriageRules('[{"cause":"disk","pattern":"quota"}]', "r.json");
    expect(rule!.pattern.test("QUOTA exceeded")).toBe(true);
  });
});

describe("classifyResult", () => {
  it("classifies a failed result from its step, exit code and reason lines; nothing for ok or skipped", async () => {
    const { classifyResult } = await import("../../src/triage/classify.js");
    const failed = {
      status: "failed",
      failedStep: "publish",
      exitCodes: { publish: 1 },
      reason: "publish failed (exit 1)\n> PUT https://repo/x.jar: 502 Bad Gateway",
    };
    expect(classifyResult(failed)?.cause).toBe("transient");
    expect(classifyResult({ ...failed, failedStep: "build", exitCodes: { build: 137 }, reason: "build failed (exit 137)" })?.cause).toBe(
      "memory",
    );
    expect(classifyResult({ status: "timed-out", failedStep: "build", exitCodes: {}, reason: "BUILD FAILURE" })?.cause).toBe("timeout");
    expect(classifyResult({ status: "ok", exitCodes: {} })).toBeUndefined();
    expect(classifyResult({ status: "skipped", exitCodes: {}, reason: "invalid row" })).toBeUndefined();
  });
});
