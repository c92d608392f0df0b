import { randomBytes } from "node:crypto";
import { lstat, lchown, mkdir, readdir, readlink, realpath, rm, unlink, chmod, chown } from "node:fs/promises";
import path from "node:path";
import { killProcessesOf, type BuildUser } from "./build-users.js";

/** Visit `root` and everything under it without following a symlink (depth first, `root` first). */
async function walk(root: string, visit: (file: string, isDir: boolean, isLink: boolean) => Promise<void>): Promise<void> {
  const stat = await lstat(root);
  await visit(root, stat.isDirectory(), stat.isSymbolicLink());
  if (!stat.isDirectory()) return;
  for (const entry of await readdir(root)) await walk(path.join(root, entry), visit);
}

/** lchown `root` and everything under it to uid:gid; symlinks are re-owned themselves, never followed. */
export async function chownTree(root: string, uid: number, gid: number): Promise<void> {
  await walk(root, async (file) => lchown(file, uid, gid));
}

/** True when `target` is `root` or inside it. */
function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Where a symlink points once resolved; a dangling or looping link is judged by its text. */
async function linkTarget(link: string): Promise<string> {
  try {
    return await realpath(link);
  } catch {
    return path.resolve(path.dirname(link), await readlink(link));
  }
}

/**
 * Remove every symlink under `root` that points outside it (realpath check): after a build, the processor's own
 * steps (`mod log builds add`, `mod publish`) read the checkout's `.moderne` folder as the processor user, so a
 * link planted there by a build (`.moderne -> /`, `build.log -> .auth/git-credentials`) would hand them its files.
 * Returns the links removed.
 */
export async function removeEscapingLinks(root: string): Promise<string[]> {
  const realRoot = await realpath(root);
  const removed: string[] = [];
  await walk(root, async (file, _isDir, isLink) => {
    if (!isLink) return;
    if (inside(realRoot, await linkTarget(file))) return;
    await unlink(file);
    removed.push(file);
  });
  return removed;
}

/** A build's own places: HOME (with TMPDIR inside), both 0700 and owned by the build user. */
export interface BuildPlace {
  home: string;
  tmpDir: string;
}

/**
 * Lock the work directory before a build: `work/` and its parent 0711 (passable, not listable), every other entry
 * of `work/` that the processor owns 0700 (sibling checkouts and csvs stay the processor's), the checkout 0700 and
 * owned by the build user, and a fresh HOME and TMPDIR for it under `homeRoot`.
 */
export async function enterBuild(checkout: string, user: BuildUser, homeRoot: string): Promise<BuildPlace> {
  const workRoot = path.dirname(checkout);
  await chmod(workRoot, 0o711);
  await chmod(path.dirname(workRoot), 0o711);
  const owner = process.getuid?.() ?? 0;
  for (const entry of await readdir(workRoot)) {
    const sibling = path.join(workRoot, entry);
    if (sibling === checkout) continue;
    const stat = await lstat(sibling).catch(() => undefined);
    if (stat && !stat.isSymbolicLink() && stat.uid === owner) await chmod(sibling, stat.isDirectory() ? 0o700 : 0o600);
  }
  await mkdir(homeRoot, { recursive: true, mode: 0o711 });
  await chmod(homeRoot, 0o711);
  const home = path.join(homeRoot, `${user.name}-${randomBytes(4).toString("hex")}`);
  const tmpDir = path.join(home, "tmp");
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  for (const dir of [home, tmpDir]) {
    await chmod(dir, 0o700);
    await chown(dir, user.uid, user.gid);
  }
  await chownTree(checkout, user.uid, user.gid);
  await chmod(checkout, 0o700);
  return { home, tmpDir };
}

/**
 * After a build: every process of the build user killed (`setsid` children included), the checkout given back to
 * `ownerUid`/`ownerGid`, symlinks escaping it removed, the build's HOME deleted.
 */
export async function leaveBuild(
  checkout: string,
  user: BuildUser,
  owner: { uid: number; gid: number },
  place?: BuildPlace,
): Promise<void> {
  await killProcessesOf(user.uid);
  await chownTree(checkout, owner.uid, owner.gid).catch(() => undefined);
  await removeEscapingLinks(checkout).catch(() => undefined);
  if (place) await rm(place.home, { recursive: true, force: true });
}
