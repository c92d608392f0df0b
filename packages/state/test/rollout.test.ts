import { describe, expect, test } from "vitest";
import { fold } from "../src/fold.js";
import type { RunState } from "../src/records.js";
import { planRollout, type Rollout } from "../src/rollout.js";
import { select, type Selection } from "../src/select.js";
import { entry, FP, result, resultEntry, SHA_A, state } from "./helpers.js";

const N = 200;
const keys = Array.from({ length: N }, (_, i) => `repo-${i}`);
const day = (n: number) => new Date(Date.parse("2026-12-01T02:00:00.000Z") + n * 86_400_000);
const NEW_FP = "new-fingerprint";

/** Every repository built ok last night (5 of 200 failed: 2.5 %), then the CLI changed every fingerprint. */
function lastNight(): RunState {
  const repos = Object.fromEntries(
    keys.map((k, i) => [k, entry({ runId: "night-0", outcome: i < 5 ? "failed" : "ok", finishedAt: day(0).toISOString() })]),
  );
  return state(repos);
}
const rows = keys.map((key, i) => ({ row: i + 1, key, fingerprint: NEW_FP }));
const okRemote = new Map(keys.map((k) => [k, { ok: true as const, commit: SHA_A }]));
function tonight(st: RunState, n: number): Selection {
  return select(rows, st, okRemote, { now: day(n) });
}
/** Folds tonight's builds: `fails` says which keys fail. */
function build(st: RunState, selection: Selection, n: number, fails: (key: string) => boolean): RunState {
  const entries = selection.build.map((b) =>
    resultEntry(b.key, b.row, {
      fingerprint: NEW_FP,
      commit: SHA_A,
      outcome: fails(b.key) ? "failed" : "ok",
      cause: fails(b.key) ? "toolchain" : undefined,
      finishedAt: day(n).toISOString(),
    }),
  );
  return fold(st, [result(`night-${n}`, 1, entries)]);
}

describe("planRollout", () => {
  test("a fingerprint change builds a canary only, then spreads the rest over the following nights", () => {
    let st = lastNight();
    // The failing five are rebuilt anyway (failed-last-time); the 195 ok ones changed fingerprint.
    const night1 = planRollout(tonight(st, 1), st, new Set(), { now: day(1) });
    expect(night1.rollout).toMatchObject({ status: "canary", baselineFailureRate: 0.025 });
    expect(night1.rollout!.canary).toHaveLength(20);
    const built1 = night1.selection.build.filter((b) => b.reason === "fingerprint-changed");
    expect(built1.map((b) => b.key).sort()).toEqual([...night1.rollout!.canary].sort());
    expect(night1.deferred).toHaveLength(175);
    expect(night1.selection.counts).toMatchObject({ fingerprintChanged: 20, rolloutPending: 175 });
    st = { ...build(st, night1.selection, 1, () => false), rollout: night1.rollout };

    const perNight: number[] = [];
    for (let n = 2; st.rollout; n++) {
      const plan = planRollout(tonight(st, n), st, new Set(), { now: day(n) });
      expect(plan.alert).toBeUndefined();
      if (!plan.rollout) break;
      expect(plan.rollout.status).toBe("spreading");
      perNight.push(plan.selection.build.filter((b) => b.reason === "fingerprint-changed").length);
      st = { ...build(st, plan.selection, n, () => false), rollout: plan.rollout };
      expect(n).toBeLessThan(12);
    }
    expect(perNight.reduce((a, b) => a + b, 0)).toBe(175);
    expect(perNight).toHaveLength(7);
    expect(Math.max(...perNight) - Math.min(...perNight)).toBeLessThanOrEqual(2);
  });

  test("while spreading, repositories with a new commit go first", () => {
    const st: RunState = {
      ...lastNight(),
      rollout: {
        status: "spreading",
        startedAt: day(1).toISOString(),
        spreadStartedAt: day(2).toISOString(),
        canary: [],
        baselineFailureRate: 0,
      },
    };
    const moved = new Set(["repo-150", "repo-151"]);
    const plan = planRollout(tonight(st, 2), st, moved, { now: day(2) });
    const built = plan.selection.build.filter((b) => b.reason === "fingerprint-changed").map((b) => b.key);
    expect(built).toEqual(expect.arrayContaining(["repo-150", "repo-151"]));
    expect(planRollout(tonight(st, 2), st, new Set(), { now: day(2) }).selection.build.map((b) => b.key)).not.toContain("repo-150");
    expect(built).toHaveLength(28);
  });

  test("a canary whose failure rate jumps stops the rollout and alerts once, grouped by cause", () => {
    let st = lastNight();
    const night1 = planRollout(tonight(st, 1), st, new Set(), { now: day(1) });
    const canary = new Set(night1.rollout!.canary);
    const failing = [...canary].slice(0, 8);
    st = { ...build(st, night1.selection, 1, (k) => failing.includes(k)), rollout: night1.rollout };

    const night2 = planRollout(tonight(st, 2), st, new Set(["repo-199"]), { now: day(2) });
    expect(night2.rollout).toMatchObject({ status: "stopped", canaryFailureRate: 0.4 });
    expect(night2.alert).toMatch(
      /rollout stopped: 8 of 20 canary repositories failed \(40 % against 2\.5 % the night before\)\. By cause: toolchain: 8/,
    );
    // Stopped: only repositories with a new commit are built; the rest keep their old LSTs.
    expect(night2.selection.build.filter((b) => b.reason === "fingerprint-changed").map((b) => b.key)).toEqual(["repo-199"]);
    st = { ...st, rollout: night2.rollout as Rollout };
    const night3 = planRollout(tonight(st, 3), st, new Set(), { now: day(3) });
    expect(night3.alert).toBeUndefined();
    expect(night3.rollout!.status).toBe("stopped");
  });

  test("a few changed repositories are built tonight without a rollout; --full ends one", () => {
    const small = state(Object.fromEntries(keys.slice(0, 10).map((k) => [k, entry()])));
    const sel = select(rows.slice(0, 10), small, okRemote, { now: day(1) });
    expect(planRollout(sel, small, new Set(), { now: day(1) })).toMatchObject({ rollout: undefined, deferred: [] });
    const st: RunState = {
      ...lastNight(),
      rollout: { status: "stopped", startedAt: day(1).toISOString(), canary: [], baselineFailureRate: 0 },
    };
    const full = select(rows, st, okRemote, { now: day(2), full: true });
    expect(planRollout(full, st, new Set(), { now: day(2), full: true })).toMatchObject({ rollout: undefined, deferred: [] });
    expect(FP).not.toBe(NEW_FP);
  });
});
