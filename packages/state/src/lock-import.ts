/**
 * Seeding the state from an existing repos-lock.csv: each repos.csv row whose repository the lock shows as built
 * and published gets a state entry (outcome ok, the lock's commit, its `reproducible` verdict), so the next
 * selection skips it when the remote has not moved. Rows the lock does not show as published are left alone
 * (they are built). Matching: normalized clone URL, else origin + path; the lock's branch must equal the row's
 * branch when the row names one.
 */
import { fold } from "./fold.js";
import { normalizeCloneUrl } from "./keys.js";
import type { ResultEntry, RunState } from "./records.js";
import type { ReposLockRow } from "./repos-lock.js";
import { rowFingerprint, rowKey, type StateRow } from "./rows.js";
import type { StateStore } from "./store/state-store.js";

/** A repos.csv row as the import needs it: the state row plus where Moderne files it. */
export interface LockImportRow extends StateRow {
  origin?: string;
  path?: string;
}

export interface LockImportOptions {
  /** The running CLI's version (`cliVersion()`), as the processors will record it. */
  cliVersion: string;
  now: Date;
  /** The run id the seeded entries carry (default "import-repos-lock"). */
  runId?: string;
}

export interface LockImport {
  /** One ok entry per seeded repos.csv row. */
  entries: ResultEntry[];
  /** repos.csv rows the lock does not show as published (built at the next run). */
  notSeeded: number[];
  /** Seeded rows whose lock `cliVersion` differs from the running one: their fingerprint differs, so they are rebuilt. */
  otherCliVersion: number[];
}

const VERSION = /\d+\.\d+\.\d+/;

function sameCli(lock: string | undefined, running: string): boolean {
  if (lock === undefined) return true; // no verdict: trust the lock, as mod publish --sync-csv would without one
  const a = VERSION.exec(lock)?.[0];
  return a !== undefined && a === VERSION.exec(running)?.[0];
}

function indexLock(lock: readonly ReposLockRow[]) {
  const byUrl = new Map<string, ReposLockRow[]>();
  const byPath = new Map<string, ReposLockRow[]>();
  const push = (map: Map<string, ReposLockRow[]>, key: string, row: ReposLockRow) => map.set(key, [...(map.get(key) ?? []), row]);
  for (const row of lock) {
    if (row.cloneUrl) push(byUrl, normalizeCloneUrl(row.cloneUrl), row);
    if (row.origin && row.path) push(byPath, `${row.origin.toLowerCase()}/${row.path}`, row);
  }
  return { byUrl, byPath };
}

/** The lock rows of one repos.csv row: same normalized clone URL, else same origin + path; a named branch must match. */
function candidatesOf(row: LockImportRow, index: ReturnType<typeof indexLock>): ReposLockRow[] {
  const all = [
    ...(index.byUrl.get(normalizeCloneUrl(row.cloneUrl)) ?? []),
    ...(row.origin && row.path ? (index.byPath.get(`${row.origin.toLowerCase()}/${row.path}`) ?? []) : []),
  ];
  return all.filter((l) => !row.branch || l.branch === row.branch);
}

/**
 * The repos-lock.csv row of one repository (the matching rule of the import; the last match wins, as a lock
 * written later lists it later), or undefined. For the pipeline: the `reproducible` verdict of a build it just ran.
 */
export function findLockRow(lock: readonly ReposLockRow[], row: LockImportRow): ReposLockRow | undefined {
  return candidatesOf(row, indexLock(lock)).at(-1);
}

function finishedAt(lock: ReposLockRow, now: Date): string {
  const t = lock.publishedAt === undefined ? Number.NaN : Date.parse(lock.publishedAt);
  return Number.isFinite(t) && t <= now.getTime() ? new Date(t).toISOString() : now.toISOString();
}

/** The state entries an existing repos-lock.csv gives the repos.csv `rows`. Pure. */
export function entriesFromReposLock(
  rows: readonly LockImportRow[],
  lock: readonly ReposLockRow[],
  options: LockImportOptions,
): LockImport {
  const index = indexLock(lock);
  const result: LockImport = { entries: [], notSeeded: [], otherCliVersion: [] };
  for (const row of rows) {
    const hit = candidatesOf(row, index).find((l) => l.changeset && l.publishUri);
    if (hit === undefined) {
      result.notSeeded.push(row.row);
      continue;
    }
    const same = sameCli(hit.cliVersion, options.cliVersion);
    if (!same) result.otherCliVersion.push(row.row);
    result.entries.push({
      key: rowKey(row),
      row: row.row,
      cloneUrl: hit.cloneUrl ?? row.cloneUrl,
      commit: hit.changeset as string,
      fingerprint: rowFingerprint(row, same ? options.cliVersion : (hit.cliVersion as string)),
      outcome: "ok",
      durations: {},
      finishedAt: finishedAt(hit, options.now),
      ...(hit.publishUri ? { logs: hit.publishUri } : {}),
      ...(hit.reproducible !== undefined ? { reproducible: hit.reproducible } : {}),
    });
  }
  return result;
}

/**
 * Seed the state store from an existing repos-lock.csv (see {@link entriesFromReposLock}): the entries are folded
 * in like a run's results, so an entry the state already has from a later build wins.
 */
export async function importReposLock(
  store: StateStore,
  rows: readonly LockImportRow[],
  lock: readonly ReposLockRow[],
  options: LockImportOptions,
): Promise<LockImport> {
  const imported = entriesFromReposLock(rows, lock, options);
  const runId = options.runId ?? "import-repos-lock";
  await store.updateState((state: RunState) =>
    fold(state, [{ runId, partition: 1, updatedAt: options.now.toISOString(), repos: imported.entries }]),
  );
  return imported;
}
