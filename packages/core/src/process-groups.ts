/**
 * The process groups a program's children run in, so that one place can kill them all: the CLI runner adds each
 * detached call's group while it runs, and the program's last-resort exit path (a second signal, an expired stop
 * grace) calls `killAll()`. Created by the program, handed to the runner: nothing has to travel back up.
 */
export class ProcessGroups {
  readonly #live = new Set<number>();

  /** A group (the id of its leader) that is running now. */
  add(pgid: number): void {
    this.#live.add(pgid);
  }

  /** The group ended. */
  delete(pgid: number): void {
    this.#live.delete(pgid);
  }

  /** The groups running now. */
  get size(): number {
    return this.#live.size;
  }

  /** Sends `signal` (default SIGKILL) to every live group; a group already gone is skipped. */
  killAll(signal: "SIGKILL" | "SIGTERM" | "SIGINT" = "SIGKILL"): void {
    for (const pgid of this.#live) {
      try {
        process.kill(-pgid, signal);
      } catch {
        // group already gone
      }
    }
  }
}
