import { expect, test } from "vitest";
import { fold } from "../src/fold.js";
import { freshness } from "../src/freshness.js";
import { entry, result, resultEntry, state } from "./helpers.js";

const now = new Date("2026-12-10T06:00:00.000Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

test("counts the repositories whose LST is older than the target, each with its reason", () => {
  const st = {
    ...state({
      fresh: entry({ finishedAt: hoursAgo(3) }),
      checked: entry({ finishedAt: hoursAgo(24 * 20), checkedAt: hoursAgo(4) }),
      notReached: entry({ finishedAt: hoursAgo(26) }),
      failing: entry({ outcome: "failed", finishedAt: hoursAgo(2), lastOkAt: hoursAgo(30), cause: "build", failStreak: 1 }),
      held: entry({ outcome: "failed", finishedAt: hoursAgo(26), cause: "auth", failStreak: 3 }),
      waiting: entry({ finishedAt: hoursAgo(48) }),
      canary: entry({ finishedAt: hoursAgo(40) }),
    }),
    rollout: { status: "spreading" as const, startedAt: hoursAgo(30), canary: ["canary"], baselineFailureRate: 0 },
  };
  const f = freshness(st, { now });
  expect(f).toMatchObject({ targetMs: 86_400_000, total: 7, outside: 5 });
  expect(f.byReason).toEqual({ quarantined: 1, failing: 1, "rollout-pending": 1, "over-budget": 2 });
  expect(f.repos.map((r) => [r.key, r.reason])).toEqual([
    ["held", "quarantined"],
    ["waiting", "rollout-pending"],
    ["canary", "over-budget"],
    ["failing", "failing"],
    ["notReached", "over-budget"],
  ]);
  expect(f.repos[0]).toEqual({ key: "held", ageMs: null, reason: "quarantined", cause: "auth" });
  expect(f.repos.find((r) => r.key === "failing")!.ageMs).toBe(30 * 3_600_000);
  expect(freshness(st, { now, targetMs: 100 * 3_600_000 }).outside).toBe(1);
  expect(freshness(st, { now }).maxAgeMs).toBe(48 * 3_600_000);
});

test("the fold keeps the last ok build's time through failures", () => {
  const ok = fold(state(), [result("r1", 1, [resultEntry("k", 1, { finishedAt: hoursAgo(30) })])]);
  const failed = fold(ok, [result("r2", 1, [resultEntry("k", 1, { outcome: "failed", finishedAt: hoursAgo(2) })])]);
  expect(failed.repos["k"]).toMatchObject({ outcome: "failed", lastOkAt: hoursAgo(30) });
});

test("a run that finds an ok build unchanged marks it current as of the run (not a failing one)", async () => {
  const { mkdtempSync } = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const { openStateStore } = await import("../src/store/state-store.js");
  const { foldPendingRuns } = await import("../src/runs.js");
  const store = openStateStore(path.join(mkdtempSync(path.join(os.tmpdir(), "fresh-")), "s"));
  await store.updateState(() =>
    state({ a: entry({ finishedAt: hoursAgo(72) }), b: entry({ outcome: "failed", finishedAt: hoursAgo(72) }) }),
  );
  await foldPendingRuns(store, { checked: { keys: ["a", "b"], at: hoursAgo(1) } });
  const after = await store.readState();
  expect(after.repos["a"]!.checkedAt).toBe(hoursAgo(1));
  expect(after.repos["b"]!.checkedAt).toBeUndefined();
  expect(freshness(after, { now }).repos.map((r) => r.key)).toEqual(["b"]);
  store.close();
});
