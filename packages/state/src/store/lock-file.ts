/**
 * A lock file that says who holds it. It is never empty: the holder is written to a temporary file first, which
 * is then link()ed into place (link fails when the lock exists, so exactly one creator wins). Stale ones (dead
 * holder, too old, or empty/unreadable and older than a few seconds) are taken over after a re-check.
 */
import { randomBytes } from "node:crypto";
import { link, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { StateLockedError } from "../errors.js";

export interface LockFileOptions {
  /** A lock older than this is taken over. */
  staleMs: number;
  /** Keep trying this long before giving up (0: one try). */
  waitMs: number;
  /** What the lock protects, for the message ("the state at /data/state"). */
  what: string;
}

interface Holder {
  pid?: number;
  host?: string;
  acquiredAt?: string;
}

/** What was read of a lock when it was judged: the holder, its age, and what identifies that very file. */
export interface JudgedLock {
  holder: Holder;
  ageMs: number;
  /** The lock's text could not be parsed (empty, half written by another tool, or garbage). */
  unreadable: boolean;
  ino: number;
  text: string;
}

/** An empty or unreadable lock older than this is stale (a complete lock is never empty, see `tryCreate`). */
export const UNREADABLE_LOCK_STALE_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (error: unknown) => (error as { code?: string }).code;

function parseHolder(text: string): Holder | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Holder) : undefined;
  } catch {
    return undefined;
  }
}

/** The lock at `file` as it is now, or undefined when there is none. */
export async function readLock(file: string): Promise<JudgedLock | undefined> {
  try {
    const info = await stat(file);
    const text = await readFile(file, "utf8");
    const holder = parseHolder(text);
    const since = Date.parse(holder?.acquiredAt ?? "") || info.mtimeMs;
    return { holder: holder ?? {}, ageMs: Date.now() - since, unreadable: holder === undefined, ino: info.ino, text };
  } catch (error) {
    if (codeOf(error) === "ENOENT") return undefined;
    throw error;
  }
}

function holderIsGone(holder: Holder): boolean {
  if (holder.host !== os.hostname() || typeof holder.pid !== "number") return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return codeOf(error) === "ESRCH";
  }
}

function isStale(lock: JudgedLock, options: LockFileOptions): boolean {
  if (lock.unreadable) return lock.ageMs > Math.min(UNREADABLE_LOCK_STALE_MS, options.staleMs);
  return lock.ageMs > options.staleMs || holderIsGone(lock.holder);
}

/** Write the holder to a temporary file beside the lock, then link it into place: the lock is complete or absent. */
async function tryCreate(file: string): Promise<boolean> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  await writeFile(temp, `${JSON.stringify({ pid: process.pid, host: os.hostname(), acquiredAt: new Date().toISOString() })}\n`, {
    flush: true,
  });
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if (codeOf(error) === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/**
 * Take over the lock judged stale as `judged`: only when the lock is still that very file (same inode, same text).
 * It is moved aside atomically (only one taker wins the rename) and checked once more; a lock that a new holder
 * created in between is put back. Resolves to whether the judged lock was removed.
 */
export async function takeOverIfUnchanged(file: string, judged: JudgedLock): Promise<boolean> {
  const now = await readLock(file);
  if (!now || now.ino !== judged.ino || now.text !== judged.text) return false;
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if (codeOf(error) === "ENOENT") return false;
    throw error;
  }
  const moved = await stat(aside);
  if (moved.ino !== judged.ino) {
    // a new holder's lock slipped in between the check and the rename: give it back
    await link(aside, file).catch(() => {});
    await unlink(aside).catch(() => {});
    return false;
  }
  await unlink(aside).catch(() => {});
  return true;
}

function lockedError(file: string, lock: JudgedLock, options: LockFileOptions): StateLockedError {
  const { holder, ageMs } = lock;
  const who = lock.unreadable ? "an unreadable lock file (no holder in it)" : `pid ${holder.pid ?? "?"} on host ${holder.host ?? "?"}`;
  return new StateLockedError(
    `${options.what} is locked by ${who} since ${holder.acquiredAt ?? "an unknown time"} (${Math.round(ageMs / 1000)} s ago): another mass-ingest chunker is updating it.`,
    {
      hint: `Wait for that run to finish and try again. If that process is gone, delete ${file}; a lock older than ${Math.round(options.staleMs / 1000)} s (an empty or unreadable one: ${UNREADABLE_LOCK_STALE_MS / 1000} s) is taken over automatically.`,
    },
  );
}

/** Create the lock file at `file` or throw StateLockedError naming the holder; resolves to its release. */
export async function acquireLockFile(file: string, options: LockFileOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + options.waitMs;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(file)) {
      return async () => {
        await unlink(file).catch(() => {});
      };
    }
    const current = await readLock(file);
    if (current === undefined) continue;
    if (isStale(current, options)) {
      await takeOverIfUnchanged(file, current);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(file, current, options);
    await sleep(Math.min(50 * 2 ** attempt, 500));
  }
}
