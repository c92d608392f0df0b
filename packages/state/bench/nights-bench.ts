/**
 * Steady nights: 30 simulated nights of `select` over `repos` repositories all built on night 1, `changed` % of
 * them changing each night and `failed` % of builds failing, with the max-age jitter (default ±15 %) and without.
 * Run: `npx tsx bench/nights-bench.ts [repos=10000] [changed=5] [failed=1] [nights=30] [variants=jitter,none,cap,cap12,fill]`. Prints the builds and
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

function simulate(jitter: number, maxStale?: number, fill = false): Array<{ builds: number; stale: number }> {
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
    const s = select(rows, state, remote, { now, maxAgeJitter: jitter, ...(maxStale !== undefined ? { maxStale, fillStale: fill } : {}) });
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
const perDay = Math.ceil(repos / 7);
// variants (argv[6], comma-separated; default all): the label and the select options of each
const VARIANTS: Record<string, { label: string; jitter: number; maxStale?: number; fill?: boolean }> = {
  jitter: { label: "jitter ±15 %", jitter: 0.15 },
  none: { label: "no jitter", jitter: 0 },
  cap: { label: `jitter + cap repos/7 (${perDay})`, jitter: 0.15, maxStale: perDay },
  cap12: { label: `jitter + cap 1.2 x repos/7 (${Math.ceil(perDay * 1.2)})`, jitter: 0.15, maxStale: Math.ceil(perDay * 1.2) },
  fill: { label: `jitter + cap and fill to repos/7 (${perDay}, the default)`, jitter: 0.15, maxStale: perDay, fill: true },
};
const chosen = (process.argv[6] ?? Object.keys(VARIANTS).join(",")).split(",").map((v) => [v, VARIANTS[v]!] as const);
const runs = chosen.map(([, v]) => simulate(v.jitter, v.maxStale, v.fill));
console.log(`night | ${chosen.map(([, v]) => `builds (${v.label}) | stale`).join(" | ")}`);
for (let i = 0; i < nights; i++) console.log(`${i + 1} | ${runs.map((r) => `${r[i]!.builds} | ${r[i]!.stale}`).join(" | ")}`);
const low = target * 0.8;
const high = target * 1.2;
console.log(
  `target changed + failed + repos/7 = ${target.toFixed(0)} (±20 %: ${low.toFixed(0)}-${high.toFixed(0)}); builds on nights 8-${nights}:`,
);
chosen.forEach(([, v], i) => {
  const xs = runs[i]!.slice(7).map((n) => n.builds);
  const outside = xs.filter((x) => x < low || x > high).length;
  const dev = (x: number) => `${((x / target - 1) * 100).toFixed(0)} %`;
  console.log(
    `  ${v.label}: ${Math.min(...xs)}-${Math.max(...xs)} (${dev(Math.min(...xs))} / ${dev(Math.max(...xs))}), ${outside} of ${xs.length} nights outside ±20 %, ${xs.reduce((a, b) => a + b, 0)} builds in all`,
  );
});
