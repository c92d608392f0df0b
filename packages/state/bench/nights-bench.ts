/**
 * Steady nights: 30 simulated nights of `select` over `repos` repositories all built on night 1, `changed` % of
 * them changing each night and `failed` % of builds failing, with the max-age jitter (default ±15 %) and without.
 * Run: `npx tsx bench/nights-bench.ts [repos=10000] [changed=5] [failed=1] [nights=30]`. Prints the builds and
 * stale rebuilds per night and the largest deviation after the first week from changed + failed + repos / 7.
 */
import { select, type RemoteHead, type RunState, type SelectRow } from "../src/index.js";
import { rng } from "./rng.js";

const repos = Number(process.argv[2] ?? 10_000);
const changedShare = Number(process.argv[3] ?? 5) / 100;
const failedShare = Number(process.argv[4] ?? 1) / 100;
const nights = Number(process.argv[5] ?? 30);
const DAY = 86_400_000;
const FP = "0123456789abcdef";

function simulate(jitter: number, maxStale?: number): Array<{ builds: number; stale: number }> {
  const random = rng(7);
  const rows: SelectRow[] = Array.from({ length: repos }, (_, i) => ({
    row: i + 1,
    key: `https://git.example.com/org/repo-${i}.git#main`,
    fingerprint: FP,
  }));
  const commits = new Map(rows.map((r) => [r.key, 0]));
  const start = Date.parse("2026-11-01T02:00:00.000Z");
  let state: RunState = { updatedAt: "", repos: {}, unreadable: {}, pendingRuns: [] };
  const out: Array<{ builds: number; stale: number }> = [];
  for (let night = 1; night <= nights; night++) {
    const now = new Date(start + night * DAY);
    if (night > 1) for (const r of rows) if (random() < changedShare) commits.set(r.key, (commits.get(r.key) ?? 0) + 1);
    const remote = new Map<string, RemoteHead>(
      rows.map((r) => [r.key, { ok: true, commit: String(commits.get(r.key)).padStart(40, "0") }]),
    );
    const s = select(rows, state, remote, { now, maxAgeJitter: jitter, ...(maxStale !== undefined ? { maxStale } : {}) });
    const next = { ...state.repos };
    for (const b of s.build) {
      const commit = String(commits.get(b.key)).padStart(40, "0");
      const outcome = random() < failedShare ? ("failed" as const) : ("ok" as const);
      next[b.key] = {
        commit,
        fingerprint: FP,
        outcome,
        durations: {},
        finishedAt: new Date(now.getTime() + random() * 3 * 3_600_000).toISOString(),
        runId: `n${night}`,
      };
    }
    state = { ...state, repos: next };
    out.push({ builds: s.build.length, stale: s.counts.stale });
  }
  return out;
}

const target = repos * (changedShare + failedShare) + repos / 7;
const withJitter = simulate(0.15);
const without = simulate(0);
const capped = simulate(0.15, Math.ceil(repos / 7));
console.log(`night | builds (jitter ±15 %) | stale | builds (no jitter) | stale | builds (jitter + cap repos/7) | stale`);
withJitter.forEach((n, i) =>
  console.log(
    `${i + 1} | ${n.builds} | ${n.stale} | ${without[i]!.builds} | ${without[i]!.stale} | ${capped[i]!.builds} | ${capped[i]!.stale}`,
  ),
);
const after = (xs: typeof withJitter) => xs.slice(8).map((n) => n.builds);
const range = (xs: number[]) =>
  `${Math.min(...xs)}-${Math.max(...xs)} (peak ${((Math.max(...xs) / target - 1) * 100).toFixed(0)} % over the target)`;
console.log(`target changed + failed + repos/7 = ${target.toFixed(0)}; builds on nights 9-${nights}:`);
console.log(`  jitter ${range(after(withJitter))}; no jitter ${range(after(without))}; jitter + cap ${range(after(capped))}`);
