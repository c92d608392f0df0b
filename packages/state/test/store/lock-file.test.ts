import { mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { StateLockedError } from "../../src/errors.js";
import { acquireLockFile, readLock, takeOverIfUnchanged } from "../../src/store/lock-file.js";

const dirs: string[] = [];
let lock = "";
beforeEach(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "state-lock-"));
  dirs.push(dir);
  lock = path.join(dir, "state.lock");
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const options = { staleMs: 600_000, waitMs: 0, what: "The state" };
const aged = async (file: string, seconds: number) => {
  const when = new Date(Date.now() - seconds * 1000);
  await utimes(file, when, when);
};

describe("lock file", () => {
  test("the lock holds its holder as soon as it exists, and no temporary file is left beside it", async () => {
    const release = await acquireLockFile(lock, options);
    expect(JSON.parse(await readFile(lock, "utf8"))).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect((await stat(lock)).nlink).toBe(1);
    await release();
    await expect(stat(lock)).rejects.toMatchObject({ code: "ENOENT" });
  });

  test("an empty lock older than a few seconds is stale (a full disk left it), a fresh one is not", async () => {
    await writeFile(lock, "");
    await expect(acquireLockFile(lock, options)).rejects.toBeInstanceOf(StateLockedError);
    await aged(lock, 30);
    const release = await acquireLockFile(lock, options);
    expect(JSON.parse(await readFile(lock, "utf8"))).toMatchObject({ pid: process.pid });
    await release();
  });

  test("an unreadable lock older than a few seconds is stale, and the message says it is unreadable", async () => {
    await writeFile(lock, "{ half");
    await expect(acquireLockFile(lock, options)).rejects.toThrow(/unreadable lock file/);
    await aged(lock, 30);
    await (
      await acquireLockFile(lock, options)
    )();
  });

  test("a takeover re-checks what it judged stale: a lock replaced in between survives", async () => {
    await writeFile(lock, JSON.stringify({ pid: 1, host: "elsewhere", acquiredAt: "2020-01-01T00:00:00.000Z" }));
    const judged = await readLock(lock);
    expect(judged?.ageMs).toBeGreaterThan(options.staleMs);
    // another chunker took it over and holds it now
    await rm(lock);
    const fresh = JSON.stringify({ pid: 2, host: "elsewhere", acquiredAt: new Date().toISOString() });
    await writeFile(lock, fresh);
    expect(await takeOverIfUnchanged(lock, judged!)).toBe(false);
    expect(await readFile(lock, "utf8")).toBe(fresh);
    const now = await readLock(lock);
    expect(await takeOverIfUnchanged(lock, now!)).toBe(true);
    await expect(stat(lock)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
