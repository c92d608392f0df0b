import { describe, expect, it } from "vitest";
import { runChecks, runOne } from "../src/run-checks.js";
import { DEFAULT_THRESHOLDS } from "../src/index.js";
import type { Check, CheckContext } from "../src/types.js";

const context: Omit<CheckContext, "signal"> = {
  settings: { env: {} },
  env: {},
  dataDir: "/tmp",
  thresholds: DEFAULT_THRESHOLDS,
  options: {},
  tempDir: "/tmp",
};

describe("runOne / runChecks", () => {
  it("a check that does not finish in time fails as timed out and sees its signal aborted", async () => {
    let seen: AbortSignal | undefined;
    const hangs: Check = { id: "hangs", title: "hangs", run: ({ signal }) => ((seen = signal), new Promise(() => {})) };
    const r = await runOne(hangs, context, 50);
    expect(r).toMatchObject({ id: "hangs", status: "fail", detail: "did not finish within 0 s" });
    expect(seen?.aborted).toBe(true);
  });

  it("a check that throws fails with the error's code, message and hint", async () => {
    const throws: Check = {
      id: "throws",
      title: "throws",
      run: async () => {
        throw Object.assign(new Error("boom"), { code: "BOOM", hint: "do this" });
      },
    };
    expect(await runOne(throws, context, 1000)).toEqual({
      id: "throws",
      title: "throws",
      status: "fail",
      detail: "[BOOM] boom",
      fix: "do this",
    });
  });

  it("keeps the checks' order whatever order they finish in", async () => {
    const delayed = (id: string, ms: number): Check => ({
      id,
      title: id,
      run: () => new Promise((r) => setTimeout(() => r({ status: "pass", detail: id }), ms)),
    });
    const results = await runChecks([delayed("slow", 60), delayed("fast", 1)], context, { concurrency: 2, timeoutMs: 5000 });
    expect(results.map((r) => r.id)).toEqual(["slow", "fast"]);
  });
});
