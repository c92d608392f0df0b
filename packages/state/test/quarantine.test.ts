import { describe, expect, test } from "vitest";
import { fold } from "../src/fold.js";
import { failStreakAfter, quarantined } from "../src/quarantine.js";
import { select } from "../src/select.js";
import { entry, FP, result, resultEntry, SHA_A, SHA_B, state } from "./helpers.js";

const night = (n: number) => `2026-11-${String(10 + n).padStart(2, "0")}T02:00:00.000Z`;
const failure = (n: number, cause: "build" | "transient" | "auth" = "build") =>
  resultEntry("r", 1, { outcome: "failed", cause, commit: SHA_A, finishedAt: night(n) });

/** Folds one result per night into an empty state, as the chunker does before each submit. */
function foldNights(...entries: ReturnType<typeof failure>[]) {
  return entries.reduce((st, e, i) => fold(st, [result(`run-${i}`, 1, [e])]), state()).repos["r"]!;
}

describe("failure streaks", () => {
  test("count failing nights in a row and remember the first one and the cause", () => {
    const e = foldNights(failure(1), failure(2), failure(3, "auth"));
    expect(e).toMatchObject({ failStreak: 3, failingSince: night(1), cause: "auth" });
  });

  test("a second failure on the same night (a retry) does not extend the streak", () => {
    const retry = resultEntry("r", 1, { outcome: "failed", cause: "build", commit: SHA_A, finishedAt: "2026-11-11T05:00:00.000Z" });
    expect(foldNights(failure(1), retry).failStreak).toBe(1);
  });

  test("a transient failure neither extends nor ends it; an ok build ends it", () => {
    expect(foldNights(failure(1), failure(2, "transient"), failure(3)).failStreak).toBe(2);
    const healed = foldNights(failure(1), failure(2), resultEntry("r", 1, { finishedAt: night(3) }));
    expect(healed.failStreak).toBeUndefined();
    expect(healed.cause).toBeUndefined();
    expect(foldNights(failure(1), resultEntry("r", 1, { finishedAt: night(2) }), failure(3)).failStreak).toBe(1);
  });

  test("a failure without a recorded cause counts as unknown", () => {
    expect(failStreakAfter(undefined, { outcome: "failed", finishedAt: night(1) })).toEqual({
      failStreak: 1,
      failingSince: night(1),
      cause: "unknown",
    });
  });
});

describe("quarantined", () => {
  const held = entry({ outcome: "failed", failStreak: 3, failingSince: night(1), cause: "build", commit: SHA_A, finishedAt: night(3) });
  const now = new Date(night(4));

  test("after three failing nights at the same commit, until the weekly try", () => {
    expect(quarantined(held, SHA_A, { now })).toBe(true);
    expect(quarantined({ ...held, failStreak: 2 }, SHA_A, { now })).toBe(false);
    expect(quarantined(held, SHA_A, { now: new Date(Date.parse(night(3)) + 7 * 86_400_000) })).toBe(false);
  });

  test("a new commit, an unknown remote, or a setting of 0 releases it", () => {
    expect(quarantined(held, SHA_B, { now })).toBe(false);
    expect(quarantined(held, undefined, { now })).toBe(false);
    expect(quarantined(held, SHA_A, { now, after: 0 })).toBe(false);
  });
});

describe("select with quarantine", () => {
  const st = state({
    held: entry({ outcome: "failed", failStreak: 3, failingSince: night(1), cause: "toolchain", finishedAt: night(3) }),
    young: entry({ outcome: "failed", failStreak: 2, cause: "build", finishedAt: night(3) }),
  });
  const rows = [
    { row: 1, key: "held", fingerprint: FP },
    { row: 2, key: "young", fingerprint: FP },
  ];
  const remote = new Map([
    ["held", { ok: true as const, commit: SHA_A }],
    ["young", { ok: true as const, commit: SHA_A }],
  ]);

  test("lists a quarantined repository with its cause and since when, and builds the others", () => {
    const s = select(rows, st, remote, { now: new Date(night(4)) });
    expect(s.quarantined).toEqual([{ row: 1, key: "held", cause: "toolchain", since: night(1) }]);
    expect(s.build).toEqual([{ row: 2, key: "young", reason: "failed-last-time" }]);
    expect(s.counts.quarantined).toBe(1);
  });

  test("--full and a changed fingerprint build it anyway", () => {
    expect(select(rows, st, remote, { now: new Date(night(4)), full: true }).quarantined).toEqual([]);
    const other = [{ ...rows[0]!, fingerprint: "ffff" }];
    expect(select(other, st, remote, { now: new Date(night(4)) }).build).toEqual([{ row: 1, key: "held", reason: "failed-last-time" }]);
  });
});

describe("release", () => {
  test("lists quarantined repositories and releases one by clone URL, writing the state once", async () => {
    const { mkdtempSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { openStateStore } = await import("../src/store/state-store.js");
    const { quarantinedRepositories, releaseRepository } = await import("../src/release.js");
    const store = openStateStore(path.join(mkdtempSync(path.join(os.tmpdir(), "release-")), "s"));
    const held = entry({ outcome: "failed", failStreak: 4, failingSince: night(1), cause: "auth", finishedAt: night(4) });
    await store.updateState(() => state({ "https://git.example/o/a#main": held, "https://git.example/o/b": { ...held, failStreak: 1 } }));
    expect(quarantinedRepositories(await store.readState())).toEqual([
      { key: "https://git.example/o/a#main", cause: "auth", since: night(1), lastTry: night(4), nights: 4 },
    ]);
    expect(await releaseRepository(store, "https://git.example/o/nope.git")).toEqual([]);
    expect(await releaseRepository(store, "https://GIT.example/o/a.git")).toEqual(["https://git.example/o/a#main"]);
    const after = await store.readState();
    expect(quarantinedRepositories(after)).toEqual([]);
    expect(after.repos["https://git.example/o/a#main"]).toMatchObject({ outcome: "failed", cause: "auth" });
    expect(after.repos["https://git.example/o/a#main"]!.failStreak).toBeUndefined();
    store.close();
  });
});
