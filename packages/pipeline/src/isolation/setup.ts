import { chmod, mkdir, readdir, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PipelineError } from "../errors.js";
import { BuildUsers } from "./build-users.js";

/** Default first uid of the build users (BUILD_UID_BASE): uids 61000, 61001, ... one per build slot. */
export const DEFAULT_BUILD_UID_BASE = 61000;

/** What is exposed when builds run as the processor's own user (the warning of an unisolated run). */
export const UNISOLATED_WARNING =
  "builds are not isolated (BUILD_UID_BASE unset, or the processor is not root): each repository's build runs as the processor's own user and can read the " +
  "processor's environment through /proc (publish and tenant credentials, AWS variables), the git credential files " +
  "under DATA_DIR/.auth, every other checkout, the state and log files; run as root (the worker image) or set " +
  "BUILD_UID_BASE (the worker image does) and run as root to build as unprivileged users";

export interface IsolationChoice {
  /** The build users, when builds are isolated. */
  users?: BuildUsers;
  /** Said once at start when builds are not isolated. */
  warning?: string;
}

/**
 * Whether builds run as build users: yes when a uid base is given and the processor is root (only root can switch
 * users); no, with the warning, otherwise. `slots` is the build concurrency; every build user's group is the base.
 */
export function chooseIsolation(options: { uidBase?: number; slots: number; uid?: number }): IsolationChoice {
  const uid = options.uid ?? process.getuid?.();
  if (options.uidBase === undefined || uid !== 0) return { warning: UNISOLATED_WARNING };
  return { users: new BuildUsers(options.uidBase, options.uidBase, options.slots) };
}

/**
 * Lock the data directory before an isolated run: new files private to the processor (umask 077, so clones, csvs,
 * zips, the report and the CLI's config are 0600/0700 to everyone else; an existing `~/.moderne` is made 0700), DATA_DIR and `work/` 0711 (passable to reach a checkout,
 * not listable), everything else in DATA_DIR (`.auth`, `logs`, `state`, ...) 0700.
 */
export async function lockDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  for (let dir = path.dirname(path.resolve(dataDir)); ; dir = path.dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) {
      throw new PipelineError("CONFIG_INVALID", `The build users cannot reach DATA_DIR: ${dir} is not searchable by others.`, {
        hint: `Run \`chmod o+x ${dir}\`, or choose a DATA_DIR whose parent folders are (e.g. /var/moderne in the image).`,
      });
    }
    if (path.dirname(dir) === dir) break;
  }
  process.umask(0o077);
  // The CLI's configuration (publish and tenant credentials, `mod config ...`) lives in the processor's HOME.
  const cliHome = path.join(os.homedir(), ".moderne");
  const owner = process.getuid?.();
  const home = await stat(cliHome).catch(() => undefined);
  if (home?.isDirectory() && home.uid === owner) await chmod(cliHome, 0o700);
  await mkdir(path.join(dataDir, "work"), { recursive: true });
  await chmod(dataDir, 0o711);
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.isSymbolicLink()) continue;
    await chmod(path.join(dataDir, entry.name), entry.name === "work" ? 0o711 : 0o700);
  }
}
