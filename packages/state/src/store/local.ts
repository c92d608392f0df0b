/** The state store in a local directory: atomic writes by temp file + rename in the same directory. */
import { randomBytes } from "node:crypto";
import { link, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { StateConflictError, StateError } from "../errors.js";
import { sha256Hex } from "../keys.js";
import type { StateBackend, VersionedText, WriteCondition } from "./backend.js";
import { acquireLockFile } from "./lock-file.js";

export interface LocalBackendOptions {
  lockStaleMs: number;
  lockWaitMs: number;
}

const STATE_LOCK = "state.lock";
// per-object lock for If-Match writes; held for a read + rename only
const WRITE_LOCK_STALE_MS = 30_000;

const codeOf = (error: unknown) => (error as { code?: string }).code;

const ioError = (what: string, location: string, error: unknown) =>
  new StateError("STATE_IO", `Could not ${what} ${location}: ${(error as Error).message}`, {
    hint: "Check that the state directory exists and is writable by this user (--state / STATE_URL).",
    cause: error,
  });

async function readVersioned(file: string): Promise<VersionedText | undefined> {
  try {
    const text = await readFile(file, "utf8");
    // the token (a sha256 of the text) is taken only when asked for: conditional writes of state.json ask, the
    // fold's thousands of result-record reads do not
    let token: string | undefined;
    return {
      text,
      get token() {
        return (token ??= sha256Hex(text));
      },
    };
  } catch (error) {
    if (codeOf(error) === "ENOENT") return undefined;
    throw ioError("read", file, error);
  }
}

async function writeTemp(target: string, text: string): Promise<string> {
  try {
    await mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    await writeFile(temp, text, { flush: true });
    return temp;
  } catch (error) {
    throw ioError("write", target, error);
  }
}

/** If-None-Match "*": link() fails when the target exists, so exactly one creator wins. */
async function createOnly(target: string, temp: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (error) {
    if (codeOf(error) === "EEXIST")
      throw new StateConflictError(`${target} already exists (another writer created it first).`, { hint: "Read it again and retry." });
    throw ioError("write", target, error);
  } finally {
    await unlink(temp).catch(() => {});
  }
}

/** If-Match: compare and rename under a short per-file lock, so no other conditional writer slips in between. */
async function replaceIfMatch(target: string, temp: string, token: string): Promise<void> {
  const release = await acquireLockFile(`${target}.lock`, { staleMs: WRITE_LOCK_STALE_MS, waitMs: 5_000, what: target });
  try {
    const current = await readVersioned(target);
    if (current?.token !== token) {
      throw new StateConflictError(`${target} changed since it was read (another writer updated it).`, {
        hint: "Read it again and retry.",
      });
    }
    await rename(temp, target);
  } finally {
    await release();
    await unlink(temp).catch(() => {});
  }
}

async function listFiles(root: string, base: string): Promise<string[]> {
  try {
    const entries = await readdir(base, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith(".") && !e.name.endsWith(".lock"))
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
      .sort();
  } catch (error) {
    if (codeOf(error) === "ENOENT") return [];
    throw ioError("list", base, error);
  }
}

export function localBackend(root: string, options: LocalBackendOptions): StateBackend {
  const file = (key: string) => path.join(root, ...key.split("/"));
  return {
    kind: "local",
    location: file,
    read: (key) => readVersioned(file(key)),
    async write(key: string, text: string, condition: WriteCondition = {}) {
      const target = file(key);
      const temp = await writeTemp(target, text);
      if (condition.ifNoneMatch === "*") await createOnly(target, temp);
      else if (condition.ifMatch !== undefined) await replaceIfMatch(target, temp, condition.ifMatch);
      else await rename(temp, target).catch((error: unknown) => Promise.reject(ioError("write", target, error)));
      return sha256Hex(text);
    },
    list: (prefix) => listFiles(root, file(prefix.replace(/\/+$/, ""))),
    remove: (key) => rm(file(key), { force: true }),
    async withStateLock(fn) {
      await mkdir(root, { recursive: true }).catch((error: unknown) => Promise.reject(ioError("create", root, error)));
      const release = await acquireLockFile(file(STATE_LOCK), {
        staleMs: options.lockStaleMs,
        waitMs: options.lockWaitMs,
        what: `The state at ${root}`,
      });
      try {
        return await fn();
      } finally {
        await release();
      }
    },
    close() {},
  };
}
