/**
 * Closing a run that will never finish (its processors died, its queue was deleted, the local executor never
 * started them): `runs/<runId>/closed.json` records when and why, and which planned repositories were never
 * reached (outcome `not-started`, by partition); the run leaves the state's pending list, so no later fold waits
 * for it. `status` then shows the run as closed instead of "still going" (and still exits 1: it did not finish);
 * `retry` still retries what did not finish ok.
 */
import type { RepoOutcome } from "@mass-ingest/contract";
import { z } from "zod";
import { StateError } from "./errors.js";
import { foldPendingRuns } from "./runs.js";
import { checkRunId, RUNS_PREFIX } from "./store/layout.js";
import type { StateStore } from "./store/state-store.js";

const CLOSED_KIND = "mass-ingest/run-closed";
/** The outcome the planned repositories without a result are recorded with. */
const NOT_REACHED = "not-started" as const satisfies RepoOutcome;

const closedSchema = z.object({
  kind: z.literal(CLOSED_KIND),
  version: z.literal(1),
  runId: z.string().min(1),
  closedAt: z.string().min(1),
  reason: z.string(),
  notReached: z.array(
    z.object({ partition: z.number().int().positive(), outcome: z.literal(NOT_REACHED), rows: z.array(z.number().int()) }),
  ),
});

/** A closed run's record: when, why, and the planned repositories never reached, by partition. */
export type ClosedRun = Omit<z.infer<typeof closedSchema>, "kind" | "version">;

const closedKey = (runId: string) => `${RUNS_PREFIX}${checkRunId(runId)}/closed.json`;

/** The run's closed record; undefined when it was not closed (or the record cannot be read: a warning). */
export async function readClosedRun(store: StateStore, runId: string): Promise<ClosedRun | undefined> {
  const current = await store.backend.read(closedKey(runId));
  if (!current) return undefined;
  try {
    const { kind: _kind, version: _version, ...closed } = closedSchema.parse(JSON.parse(current.text));
    return closed;
  } catch (error) {
    store.warn(`Ignoring ${store.location(closedKey(runId))}: not a closed-run record (${(error as Error).message.split("\n", 1)[0]}).`);
    return undefined;
  }
}

/**
 * Close run `runId`: fold what its processors recorded, then record every planned repository without a result as
 * never reached (`not-started`) and drop the run from the pending list. StateError PLAN_NOT_FOUND without a
 * manifest; RUN_FINISHED when every planned repository has a result (nothing to close).
 */
export async function closeRun(store: StateStore, runId: string, options: { reason?: string; now?: Date } = {}): Promise<ClosedRun> {
  await foldPendingRuns(store);
  const manifest = await store.readManifest(runId);
  const done = new Set((await store.readResults(runId)).flatMap((r) => r.repos.map((e) => e.key)));
  const notReached = manifest.partitions
    .map((p) => ({ partition: p.partition, outcome: NOT_REACHED, rows: p.rows.filter((r) => !done.has(r.key)).map((r) => r.row) }))
    .filter((p) => p.rows.length > 0);
  if (notReached.length === 0) {
    throw new StateError("RUN_FINISHED", `Run ${runId} has a result for every planned repository: there is nothing to close.`, {
      hint: "status shows its outcome; retry rebuilds what failed.",
    });
  }
  const closed: ClosedRun = {
    runId,
    closedAt: (options.now ?? new Date()).toISOString(),
    reason: options.reason ?? "closed by hand: the run will never finish",
    notReached,
  };
  await store.backend.write(closedKey(runId), `${JSON.stringify({ kind: CLOSED_KIND, version: 1, ...closed }, null, 2)}\n`);
  await store.updateState((state) => ({ ...state, pendingRuns: state.pendingRuns.filter((id) => id !== runId) }));
  return closed;
}
