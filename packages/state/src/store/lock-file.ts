/** A lock file created with O_EXCL that says who holds it; stale ones (dead holder, too old) are taken over. */
import { open, readFile, rename, stat, unlink } from "node:fs/promises";
import os from "node:os";
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readHolder(path: string): Promise<{ holder: Holder; ageMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    let holder: Holder = {};
    try {
      holder = JSON.parse(text) as Holder;
    } catch {
      // a lock written half by a killed process: only its age counts
    }
    const since = Date.parse(holder.acquiredAt ?? "") || info.mtimeMs;
    return { holder, ageMs: Date.now() - since };
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw error;
  }
}

function holderIsGone(holder: Holder): boolean {
  if (holder.host !== os.hostname() || typeof holder.pid !== "number") return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === "ESRCH";
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, "wx");
    try {
      await handle.writeFile(`${JSON.stringify({ pid: process.pid, host: os.hostname(), acquiredAt: new Date().toISOString() })}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "EEXIST") return false;
    throw error;
  }
}

/** Move a stale lock aside atomically (only one taker wins the rename), then drop it. */
async function takeOver(path: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(path, aside);
    await unlink(aside);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
}

function lockedError(path: string, holder: Holder, ageMs: number, options: LockFileOptions): StateLockedError {
  const who = `pid ${holder.pid ?? "?"} on host ${holder.host ?? "?"}`;
  return new StateLockedError(
    `${options.what} is locked by ${who} since ${holder.acquiredAt ?? "an unknown time"} (${Math.round(ageMs / 1000)} s ago): another mass-ingest chunker is updating it.`,
    {
      hint: `Wait for that run to finish and try again. If that process is gone, delete ${path}; a lock older than ${Math.round(options.staleMs / 1000)} s is taken over automatically.`,
    },
  );
}

/** Create the lock file at `path` or throw StateLockedError naming the holder; resolves to its release. */
export async function acquireLockFile(path: string, options: LockFileOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + options.waitMs;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(path)) {
      return async () => {
        await unlink(path).catch(() => {});
      };
    }
    const current = await readHolder(path);
    if (current === undefined) continue;
    if (current.ageMs > options.staleMs || holderIsGone(current.holder)) {
      await takeOver(path);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(path, current.holder, current.ageMs, options);
    await sleep(Math.min(50 * 2 ** attempt, 500));
  }
}
