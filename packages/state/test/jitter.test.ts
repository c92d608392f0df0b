import { describe, expect, test } from "vitest";
import { maxAgeFor } from "../src/jitter.js";
import type { RunState } from "../src/records.js";
import { select, type RemoteHead, type SelectRow } from "../src/select.js";
import { entry, FP, SHA_A, state } from "./helpers.js";

const DAY = 24 * 3600 * 1000;
const WEEK = 7 * DAY;

describe("max-age jitter", () => {
  test("per key, deterministic, within ±15 % of the max age and spread across it", () => {
    const ages = Array.from({ length: 2000 }, (_, i) => maxAgeFor(`host/org/repo-${i}`, WEEK));
    expect(maxAgeFor("host/org/repo-1", WEEK)).toBe(ages[1]);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(WEEK * 0.85);
    expect(Math.max(...ages)).toBeLessThanOrEqual(WEEK * 1.15);
    // spread: each fifth of the ±15 % window holds 10-30 % of the keys
    const fifths = [0, 0, 0, 0, 0];
    for (const a of ages) fifths[Math.min(4, Math.floor(((a / WEEK - 0.85) / 0.3) * 5))]!++;
    for (const f of fifths) expect(f / ages.length).toBeGreaterThan(0.1);
    for (const f of fifths) expect(f / ages.length).toBeLessThan(0.3);
    expect(maxAgeFor("k", WEEK, 0)).toBe(WEEK);
    expect(maxAgeFor("k", 0)).toBe(0);
  });

  /** Nightly selections of a cohort all built on night 0 and never changed: the stale rebuilds of each night. */
  function staleByNight(jitter: number | undefined, nights: number, keys = 1000, maxStale?: number, fillStale = false): number[] {
    const rows: SelectRow[] = Array.from({ length: keys }, (_, i) => ({ row: i + 1, key: `host/org/repo-${i}`, fingerprint: FP }));
    const remote = new Map<string, RemoteHead>(rows.map((r) => [r.key, { ok: true, commit: SHA_A }]));
    const start = Date.parse("2026-11-01T02:00:00.000Z");
    let st: RunState = state(Object.fromEntries(rows.map((r) => [r.key, entry({ finishedAt: new Date(start).toISOString() })])));
    const out: number[] = [];
    for (let night = 1; night <= nights; night++) {
      const now = new Date(start + night * DAY);
      const s = select(rows, st, remote, {
        now,
        ...(jitter !== undefined ? { maxAgeJitter: jitter } : {}),
        ...(maxStale !== undefined ? { maxStale, fillStale } : {}),
      });
      out.push(s.counts.stale);
      const repos = { ...st.repos };
      for (const b of s.build) repos[b.key] = entry({ finishedAt: now.toISOString() });
      st = { ...st, repos };
    }
    return out;
  }

  test("a cohort built the same night goes stale over several nights, not one", () => {
    const without = staleByNight(0, 10);
    expect(without.filter((n) => n > 0)).toEqual([1000]); // the problem: all on night 8
    const stale = staleByNight(undefined, 10);
    const nights = stale.filter((n) => n > 0);
    expect(nights.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...stale)).toBeLessThan(600);
    expect(stale.reduce((a, b) => a + b, 0)).toBe(1000); // each key once within 10 nights
  });

  test("a cap on stale rebuilds spreads the cohort over max-age days, oldest first, never dropping one", () => {
    const stale = staleByNight(0, 16, 1000, 150);
    expect(Math.max(...stale)).toBe(150);
    expect(stale.slice(0, 7).every((n) => n === 0)).toBe(true);
    expect(stale.slice(7, 13)).toEqual([150, 150, 150, 150, 150, 150]); // nights 8-13, then the last 100 on night 14
    expect(stale[13]).toBe(100);
    expect(stale.slice(0, 15).reduce((a, b) => a + b, 0)).toBe(1000); // each once before night 16
  });

  test("cap and fill: every night after half the max age rebuilds the quota, oldest first, no wave", () => {
    const stale = staleByNight(0, 21, 1000, 150, true);
    expect(stale.slice(0, 3)).toEqual([0, 0, 0]); // nothing older than 3.5 days yet
    expect(stale.slice(3)).toEqual(Array(18).fill(150)); // from night 4 on: the quota, no wave on night 8
    const plain = staleByNight(0, 21, 1000, 150);
    expect(plain.slice(3, 7)).toEqual([0, 0, 0, 0]); // without the fill nothing before night 8
  });
});
