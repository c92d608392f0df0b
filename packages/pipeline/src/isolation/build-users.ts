import { readdirSync, readFileSync } from "node:fs";

/** One build user: a uid of the pool, held by one build slot at a time. */
export interface BuildUser {
  uid: number;
  gid: number;
  /** The slot's number (uid = base + slot). */
  slot: number;
  /** A name for USER/LOGNAME (`build-<slot>`; the uid needs no /etc/passwd entry). */
  name: string;
}

/**
 * The pool of build users: one uid per concurrent build slot (`uidBase + slot`), all in group `gid`. A slot is
 * acquired for one build and released after its clean-up, so two builds never share a uid (a uid can signal and
 * ptrace its own processes and read their /proc files).
 */
export class BuildUsers {
  readonly #free: number[];

  constructor(
    readonly uidBase: number,
    readonly gid: number,
    readonly slots: number,
  ) {
    if (!Number.isInteger(uidBase) || uidBase < 1000) throw new RangeError(`the build uid base must be an integer >= 1000, got ${uidBase}`);
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`build slots must be a positive integer, got ${slots}`);
    this.#free = Array.from({ length: slots }, (_, i) => i);
  }

  /** A free build user; throws when every slot is taken (the build limit keeps at most `slots` builds running). */
  acquire(): BuildUser {
    const slot = this.#free.shift();
    if (slot === undefined) throw new Error(`all ${this.slots} build users are in use`);
    return { uid: this.uidBase + slot, gid: this.gid, slot, name: `build-${slot}` };
  }

  /** Give the user back to the pool (after its processes are gone). */
  release(user: BuildUser): void {
    if (!this.#free.includes(user.slot)) this.#free.push(user.slot);
  }
}

/** The pids of every live process whose real or effective uid is `uid` (Linux: /proc/<pid>/status `Uid:`). */
export function processesOf(uid: number): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${entry}/status`, "utf8");
    } catch {
      continue;
    }
    const state = /^State:\s+(\S)/m.exec(status)?.[1];
    if (state === "Z" || state === "X") continue;
    const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
    if (uids && (Number(uids[1]) === uid || Number(uids[2]) === uid)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * SIGKILL every process of `uid` until none is left: this is how a build's `setsid` or double-forked children die,
 * which the process-group kill misses. Returns how many were killed.
 */
export async function killProcessesOf(uid: number, rounds = 50): Promise<number> {
  let killed = 0;
  for (let round = 0; round < rounds; round++) {
    const pids = processesOf(uid);
    if (pids.length === 0) return killed;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
        killed++;
      } catch {
        // gone already
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return killed;
}
