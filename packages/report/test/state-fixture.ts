import type { PartitionResult, ResultEntry, RunManifest, SelectionRecord, StateStore } from "@mass-ingest/state";

export const at = (day: number, minutes: number) => new Date(Date.UTC(2026, 10, 20 + day, 1, 0, 0) + minutes * 60_000).toISOString();
const url = (i: number) => `https://git.example.com/acme/repo-${i}`;

function entry(day: number, i: number, outcome: ResultEntry["outcome"], extra: Partial<ResultEntry> = {}): ResultEntry {
  return {
    key: url(i),
    row: i,
    cloneUrl: `${url(i)}.git`,
    commit: "b".repeat(40),
    fingerprint: "f".repeat(16),
    outcome,
    durations: { syncMs: 1_000, buildMs: 60_000 * i, ...(outcome === "ok" ? { publishMs: 500 } : {}) },
    finishedAt: at(day, i + 1),
    logs: `/data/logs/acme/repo-${i}/build.log`,
    ...extra,
  };
}

/**
 * One night (`day`): rows 1-6 planned into two partitions; 1, 2, 4 ok, 3 failed at the build, 5 timed out, 6 not
 * reached; rows 7-8 unchanged. Partition 1 has two attempts.
 */
export function night(
  day: number,
  runId = `night-${day}`,
): { manifest: RunManifest; results: PartitionResult[]; selection: SelectionRecord } {
  const row = (i: number) => ({ row: i, key: url(i), predictedMs: 60_000 * i });
  const manifest: RunManifest = {
    runId,
    csv: { location: "https://user:pw@csv.example.com/repos.csv", rowCount: 8, sha256: "c".repeat(64) },
    createdAt: at(day, 0),
    timeBudgetMs: 3_600_000,
    predictedMakespanMs: 12 * 60_000,
    partitions: [
      { partition: 1, predictedMs: 6 * 60_000, rows: [row(1), row(2), row(3)] },
      { partition: 2, predictedMs: 15 * 60_000, rows: [row(4), row(5), row(6)] },
    ],
  };
  const results: PartitionResult[] = [
    {
      runId,
      partition: 1,
      updatedAt: at(day, 9),
      attempts: [at(day, 1), at(day, 5)],
      repos: [
        entry(day, 1, "ok"),
        entry(day, 2, "ok"),
        entry(day, 3, "failed", { error: "[ERROR] Could not resolve dependencies for x:y:1" }),
      ],
    },
    { runId, partition: 2, updatedAt: at(day, 14), repos: [entry(day, 4, "ok"), entry(day, 5, "timed-out")] },
  ];
  const selection: SelectionRecord = {
    runId,
    createdAt: at(day, 0),
    counts: { neverBuilt: 0, changed: 6, fingerprintChanged: 0, failedLastTime: 0, stale: 0, full: 0, unknown: 0, unchanged: 2 },
    unchanged: [7, 8].map((i) => ({ row: i, key: `${url(i)}#main`, commit: "a".repeat(40) })),
  };
  return { manifest, results, selection };
}

/** Write a night's records into a store. */
export async function storeNight(store: StateStore, records: ReturnType<typeof night>): Promise<void> {
  await store.writeManifest(records.manifest);
  await store.writeSelection(records.selection);
  for (const r of records.results) await store.writeResult(r);
}
