import { describe, expect, test } from "vitest";
import { DEFAULT_DRIFT_AGE_MS, driftDue } from "../src/drift.js";
import { fold } from "../src/fold.js";
import { select, type RemoteHead, type SelectRow } from "../src/select.js";
import { entry, FP, result, resultEntry, SHA_A, state } from "./helpers.js";

const now = new Date("2026-11-30T03:00:00.000Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const row = (n: number, key: string): SelectRow => ({ row: n, key, fingerprint: FP });
const same: RemoteHead = { ok: true, commit: SHA_A };

describe("drift: a not-reproducible build is rebuilt after the drift age without a new commit", () => {
  const st = state({
    notReproducibleOld: entry({ reproducible: false, finishedAt: hoursAgo(25) }),
    notReproducibleFresh: entry({ reproducible: false, finishedAt: hoursAgo(23) }),
    reproducibleOld: entry({ reproducible: true, finishedAt: hoursAgo(25) }),
    unknownOld: entry({ finishedAt: hoursAgo(25) }),
  });
  const keys = Object.keys(st.repos);
  const remote = new Map(keys.map((k) => [k, same]));
  const rows = keys.map((k, i) => row(i + 1, k));

  test("default drift age 1 day: only the old not-reproducible build is selected, as drift", () => {
    expect(DEFAULT_DRIFT_AGE_MS).toBe(86_400_000);
    const s = select(rows, st, remote, { now });
    expect(s.build).toEqual([{ row: 1, key: "notReproducibleOld", reason: "drift" }]);
    expect(s.unchanged.map((u) => u.key)).toEqual(["notReproducibleFresh", "reproducibleOld", "unknownOld"]);
    expect(s.counts.drift).toBe(1);
    expect(s.counts.unchanged).toBe(3);
  });

  test("the drift age is a setting", () => {
    const s = select(rows, st, remote, { now, driftAgeMs: 12 * 3_600_000 });
    expect(s.build.map((b) => [b.key, b.reason])).toEqual([
      ["notReproducibleOld", "drift"],
      ["notReproducibleFresh", "drift"],
    ]);
    expect(select(rows, st, remote, { now, driftAgeMs: 48 * 3_600_000 }).build).toEqual([]);
  });

  test("a new commit is still `changed`, and the max age still wins as `stale`", () => {
    const moved = new Map(remote).set("notReproducibleOld", { ok: true, commit: "b".repeat(40) });
    expect(select(rows, st, moved, { now }).build[0]?.reason).toBe("changed");
    expect(select(rows, st, remote, { now, maxAgeMs: 3_600_000 }).build.find((b) => b.key === "notReproducibleOld")?.reason).toBe("stale");
  });

  test("driftDue: an unparseable finish time is due; unknown reproducibility never drifts", () => {
    expect(driftDue(entry({ reproducible: false, finishedAt: "garbage" }), now)).toBe(true);
    expect(driftDue(entry({ finishedAt: hoursAgo(1000) }), now)).toBe(false);
  });

  test("fold records each build's reproducible verdict in the state, replacing the previous one", () => {
    const folded = fold(state({ k: entry({ reproducible: false }) }), [result("r2", 1, [resultEntry("k", 1, { reproducible: true })])]);
    expect(folded.repos.k?.reproducible).toBe(true);
    const unknown = fold(state(), [result("r2", 1, [resultEntry("k", 1)])]);
    expect(unknown.repos.k).not.toHaveProperty("reproducible");
  });
});
