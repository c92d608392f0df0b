import type { PartitionResult, ResultEntry, RunState, StateEntry } from "../src/records.js";

export const FP = "0123456789abcdef";
export const SHA_A = "a".repeat(40);
export const SHA_B = "b".repeat(40);

export function entry(overrides: Partial<StateEntry> = {}): StateEntry {
  return {
    commit: SHA_A,
    fingerprint: FP,
    outcome: "ok",
    durations: { syncMs: 1000, buildMs: 5000, publishMs: 500 },
    finishedAt: "2026-11-29T02:00:00.000Z",
    runId: "r1",
    lastOkMs: 6500,
    ...overrides,
  };
}

export function state(repos: Record<string, StateEntry> = {}, unreadable: Record<string, unknown> = {}): RunState {
  return { updatedAt: "2026-11-29T03:00:00.000Z", repos, unreadable, pendingRuns: [] };
}

export function resultEntry(key: string, row: number, overrides: Partial<ResultEntry> = {}): ResultEntry {
  return {
    key,
    row,
    cloneUrl: key,
    commit: SHA_B,
    fingerprint: FP,
    outcome: "ok",
    durations: { syncMs: 100, buildMs: 200, publishMs: 300 },
    finishedAt: "2026-11-30T02:00:00.000Z",
    ...overrides,
  };
}

export function result(runId: string, partition: number, repos: ResultEntry[]): PartitionResult {
  return { runId, partition, updatedAt: "2026-11-30T02:00:00.000Z", repos };
}
