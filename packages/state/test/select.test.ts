import { describe, expect, test } from "vitest";
import { select, type RemoteHead, type SelectRow } from "../src/select.js";
import { entry, FP, SHA_A, SHA_B, state } from "./helpers.js";

const now = new Date("2026-11-30T03:00:00.000Z");
const row = (n: number, key: string, extra: Partial<SelectRow> = {}): SelectRow => ({ row: n, key, fingerprint: FP, ...extra });
const ok = (commit: string): RemoteHead => ({ ok: true, commit });

describe("select", () => {
  const st = state(
    {
      same: entry(),
      moved: entry(),
      refp: entry(),
      failed: entry({ outcome: "failed" }),
      timeout: entry({ outcome: "timed-out" }),
      old: entry({ finishedAt: "2026-11-01T00:00:00.000Z" }),
      pinned: entry({ commit: SHA_A }),
      pinnedMoved: entry({ commit: SHA_A }),
      lsFailed: entry(),
      lsMissing: entry(),
      badTime: entry({ finishedAt: "not a date" }),
    },
    { broken: { nonsense: 1 } },
  );
  const remote = new Map<string, RemoteHead>([
    ["same", ok(SHA_A)],
    ["moved", ok(SHA_B)],
    ["refp", ok(SHA_A)],
    ["failed", ok(SHA_A)],
    ["timeout", ok(SHA_A)],
    ["old", ok(SHA_A)],
    ["lsFailed", { ok: false, kind: "timeout", message: "no answer" }],
    ["badTime", ok(SHA_A)],
    ["broken", ok(SHA_A)],
    ["new", ok(SHA_A)],
  ]);
  const rows = [
    row(1, "same"),
    row(2, "moved"),
    row(3, "refp", { fingerprint: "ffffffffffffffff" }),
    row(4, "failed"),
    row(5, "timeout"),
    row(6, "old"),
    row(7, "pinned", { changeset: SHA_A.slice(0, 10) }),
    row(8, "pinnedMoved", { changeset: SHA_B }),
    row(9, "lsFailed"),
    row(10, "lsMissing"),
    row(11, "badTime"),
    row(12, "broken"),
    row(13, "new"),
  ];

  test("each reason, and unchanged rows with the commit they were checked at", () => {
    const s = select(rows, st, remote, { now });
    expect(s.build).toEqual([
      { row: 2, key: "moved", reason: "changed" },
      { row: 3, key: "refp", reason: "fingerprint-changed" },
      { row: 4, key: "failed", reason: "failed-last-time" },
      { row: 5, key: "timeout", reason: "failed-last-time" },
      { row: 6, key: "old", reason: "stale" },
      { row: 8, key: "pinnedMoved", reason: "changed" },
      { row: 9, key: "lsFailed", reason: "unknown" },
      { row: 10, key: "lsMissing", reason: "unknown" },
      { row: 11, key: "badTime", reason: "stale" },
      { row: 12, key: "broken", reason: "unknown" },
      { row: 13, key: "new", reason: "never-built" },
    ]);
    expect(s.unchanged).toEqual([
      { row: 1, key: "same", commit: SHA_A },
      { row: 7, key: "pinned", commit: SHA_A.slice(0, 10) },
    ]);
    expect(s.counts).toEqual({
      neverBuilt: 1,
      changed: 2,
      fingerprintChanged: 1,
      failedLastTime: 2,
      stale: 2,
      drift: 0,
      full: 0,
      unknown: 3,
      unchanged: 2,
      quarantined: 0,
      rolloutPending: 0,
    });
  });

  test("--full builds everything", () => {
    const s = select(rows, st, remote, { now, full: true });
    expect(s.unchanged).toEqual([]);
    expect(s.counts.full).toBe(rows.length);
  });

  test("maxAge decides what is stale", () => {
    const s = select([row(6, "old")], st, remote, { now, maxAgeMs: 60 * 24 * 3600 * 1000 });
    expect(s.unchanged).toEqual([{ row: 6, key: "old", commit: SHA_A }]);
  });

  test("a pinned row needs no remote answer", () => {
    expect(select([row(7, "pinned", { changeset: SHA_A })], st, new Map(), { now }).counts.unchanged).toBe(1);
  });
});
