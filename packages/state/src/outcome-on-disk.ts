/**
 * The `outcome` field of the state's records (state.json entries, partition result entries) as it is written.
 * Records were first written with `timeout` for the contract's `timed-out`; they keep that spelling, so a
 * chunker or processor already deployed reads the records this version writes. This is the one place the two
 * spellings meet: records are read into the contract's outcomes and written back from them here.
 */
import { BUILD_OUTCOMES, type BuildOutcome } from "@mass-ingest/contract";
import { z } from "zod";

const ON_DISK = { ok: "ok", failed: "failed", "timed-out": "timeout" } as const satisfies Record<BuildOutcome, string>;
type OnDisk = (typeof ON_DISK)[BuildOutcome];
const FROM_DISK = Object.fromEntries(BUILD_OUTCOMES.map((o) => [ON_DISK[o], o])) as Record<OnDisk, BuildOutcome>;

/** The outcome as written on disk. */
export function outcomeToDisk(outcome: BuildOutcome): OnDisk {
  return ON_DISK[outcome];
}

/** Reads the written spelling (and the contract's, should a record carry it) into the contract's outcome. */
export const outcomeSchema = z
  .enum(["ok", "failed", "timeout", "timed-out"])
  .transform((value): BuildOutcome => (value === "timed-out" ? value : FROM_DISK[value]));

/** An entry with its outcome spelled as written on disk. */
export function withOutcomeOnDisk<T extends { outcome: BuildOutcome }>(entry: T): Omit<T, "outcome"> & { outcome: OnDisk } {
  return { ...entry, outcome: outcomeToDisk(entry.outcome) };
}
