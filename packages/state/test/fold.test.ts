import { describe, expect, test } from "vitest";
import { fold } from "../src/fold.js";
import { emptyState } from "../src/parse.js";
import { entry, result, resultEntry, SHA_A, SHA_B, state } from "./helpers.js";

describe("fold", () => {
  test("a result becomes the repository's state entry, with the run id and the ok time", () => {
    const next = fold(emptyState(), [result("r2", 1, [resultEntry("k1", 1, { logs: "s3://b/logs/k1" })])]);
    expect(next.repos.k1).toEqual({
      commit: SHA_B,
      fingerprint: "0123456789abcdef",
      outcome: "ok",
      durations: { syncMs: 100, buildMs: 200, publishMs: 300 },
      finishedAt: "2026-11-30T02:00:00.000Z",
      logs: "s3://b/logs/k1",
      runId: "r2",
      lastOkMs: 600,
      lastOkAt: "2026-11-30T02:00:00.000Z",
    });
  });

  test("a failed build keeps the last ok duration; the outcome and commit are the new ones", () => {
    const next = fold(state({ k1: entry() }), [
      result("r2", 1, [resultEntry("k1", 1, { outcome: "failed", commit: SHA_B, error: "boom" })]),
    ]);
    expect(next.repos.k1).toMatchObject({ outcome: "failed", commit: SHA_B, lastOkMs: 6500, runId: "r2" });
  });

  test("a toolchain remedy is kept while it builds ok (or fails for a transient cause), dropped when it fails or is not used", () => {
    const remedy = { jdk: "21", rowJava: "17" };
    const after = (overrides: Parameters<typeof resultEntry>[2]) =>
      fold(state({ k1: entry({ remedy }) }), [result("r2", 1, [resultEntry("k1", 1, overrides)])]).repos.k1?.remedy;
    expect(after({ remedy })).toEqual(remedy);
    expect(after({ remedy, outcome: "failed", cause: "transient" })).toEqual(remedy);
    expect(after({ remedy, outcome: "failed", cause: "toolchain" })).toBeUndefined();
    expect(after({})).toBeUndefined();
  });

  test("idempotent, and an older record never overwrites a newer entry", () => {
    const newer = result("r3", 1, [resultEntry("k1", 1, { finishedAt: "2026-12-01T00:00:00.000Z", commit: SHA_A })]);
    const older = result("r2", 1, [resultEntry("k1", 1)]);
    const once = fold(emptyState(), [newer]);
    expect(fold(once, [older, newer])).toEqual(once);
    expect(fold(fold(emptyState(), [older]), [newer]).repos.k1?.commit).toBe(SHA_A);
  });

  test("a folded result replaces an unreadable entry; other state is kept and the input is not mutated", () => {
    const before = state({ other: entry() }, { k1: { junk: true } });
    const copy = structuredClone(before);
    const next = fold(before, [result("r2", 1, [resultEntry("k1", 1)])]);
    expect(next.unreadable).toEqual({});
    expect(next.repos.other).toEqual(entry());
    expect(before).toEqual(copy);
  });
});
