// Shared by the state tests: the chunker from source, and a night "built" through the state library exactly as
// the processor records it (one result per planned repository), to set up a state for the chunker to read.
import { fileURLToPath } from "node:url";
import type { BuildOutcome } from "@mass-ingest/contract";
import { readRepos } from "@mass-ingest/partition";
import {
  cliVersion,
  csvSha256,
  lsRemote,
  openResultRecorder,
  prepareRun,
  recordRun,
  type ResultEntry,
  type StateStore,
} from "@mass-ingest/state";
import { runProcess, type ProcessResult } from "@mass-ingest/testkit/process";

export const appDir = fileURLToPath(new URL("../..", import.meta.url));

/** The chunker from source (tsx resolves the workspace libraries). */
export function chunker(args: string[], env: Record<string, string | undefined>): Promise<ProcessResult> {
  return runProcess(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: appDir,
    env: { ...process.env, STATE_URL: undefined, JOB_QUEUE: undefined, JOB_DEFINITION: undefined, PARTITION_SIZE: undefined, ...env },
  });
}

/**
 * One night recorded through the library: select and plan (as the chunker does), then every planned repository
 * gets a result (`outcome(row)`, default ok; none where `reached(row)` is false) at the commit ls-remote reports, as a processor would record it.
 */
export async function seedNight(
  store: StateStore,
  csv: string,
  runId: string,
  mod: { command: string; env: Record<string, string> },
  options: {
    now?: Date;
    outcome?: (row: number) => BuildOutcome;
    buildMs?: number;
    error?: (row: number) => string | undefined;
    reached?: (row: number) => boolean;
    /** More fields of a row's result (e.g. its failure cause). */
    extra?: (row: number) => Partial<ResultEntry>;
  } = {},
): Promise<number[]> {
  const now = options.now ?? new Date();
  const { repos, rowCount } = await readRepos(csv, { mode: "lenient" });
  const prepared = await prepareRun(store, repos, {
    runId,
    csv: { location: csv, rowCount, sha256: await csvSha256(csv) },
    cliVersion: await cliVersion(mod.command, mod.env),
    now,
  });
  await recordRun(store, prepared);
  const heads = await lsRemote(repos.map((r) => ({ key: String(r.row), url: r.cloneUrl })));
  const built: number[] = [];
  for (const partition of prepared.manifest.partitions) {
    const recorder = await openResultRecorder(store, runId, partition.partition);
    for (const { row, key } of partition.rows) {
      const head = heads.get(String(row));
      if (options.reached && !options.reached(row)) continue;
      built.push(row);
      const error = options.error?.(row);
      await recorder.record({
        key,
        row,
        cloneUrl: repos.find((r) => r.row === row)!.cloneUrl,
        ...(head?.ok ? { commit: head.commit } : {}),
        fingerprint: prepared.rows.get(row)!.fingerprint,
        outcome: options.outcome?.(row) ?? "ok",
        durations: { syncMs: 10, buildMs: options.buildMs ?? 100, publishMs: 5 },
        finishedAt: now.toISOString(),
        ...(error ? { error } : {}),
        ...options.extra?.(row),
      });
    }
  }
  return built.sort((a, b) => a - b);
}
