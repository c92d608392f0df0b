import { describe, expect, it } from "vitest";
import { firstLine, runTool } from "../src/exec.js";

describe("runTool", () => {
  it("runs without the secret settings in the environment and without a shell", async () => {
    const r = await runTool("sh", ["-c", 'echo "${PUBLISH_PASSWORD:-unset} ${KEEP:-gone}"; echo "$1" >&2', "x", "$HOME;ls"], {
      env: { PATH: process.env.PATH, PUBLISH_PASSWORD: "secret-value-1", KEEP: "kept" },
    });
    expect(r).toMatchObject({ exitCode: 0, stdout: "unset kept", stderr: "$HOME;ls", notFound: false, timedOut: false });
  });

  it("tells a missing executable and a timeout apart from a failure", async () => {
    expect(await runTool("/nonexistent/tool", [])).toMatchObject({ notFound: true, timedOut: false });
    const slow = await runTool("sleep", ["10"], { timeoutMs: 100 });
    expect(slow).toMatchObject({ timedOut: true, notFound: false });
    expect(slow.exitCode).toBeUndefined();
    expect(await runTool("false", [])).toMatchObject({ exitCode: 1, notFound: false });
  });

  it("firstLine skips blank lines", () => {
    expect(firstLine("\n  \n first \nsecond")).toBe("first");
  });
});
