// `submit --import-lock`: an existing Moderne user's repos-lock.csv seeds the state, so the first incremental night
// builds only what the lock does not show as built at the remote's commit; `--drift-age` rebuilds a
// not-reproducible build without a new commit. Against a loopback git server, with the CLI stand-in's version.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunker } from "./helpers.js";

let git: GitServer;
let mod: ModStandIn;
let dir: string;
const heads: string[] = [];

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  for (const n of ["lock/r1", "lock/r2", "lock/r3", "lock/r4"]) heads.push((await git.createRepo(n)).head);
  dir = await mkdtemp(join(tmpdir(), "chunker-import-lock-"));
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function dryRun(csv: string, state: string, extra: string[]) {
  const r = await chunker(["submit", csv, "--dry-run", "--state", state, "--run-id", "first", ...extra], {
    ...mod.env,
    MOD_CLI: mod.command,
  });
  return {
    ...r,
    out: r.code === 0 ? (JSON.parse(r.stdout) as { counts: Record<string, number>; partitions: { rows: number[] }[] }) : undefined,
  };
}

describe("submit --import-lock", () => {
  it("seeds the state from repos-lock.csv: only what the lock did not build at HEAD is selected", async () => {
    const csv = join(dir, "repos.csv");
    await writeFile(csv, ["cloneUrl,branch", ...["r1", "r2", "r3", "r4"].map((n) => `${git.httpUrl(`lock/${n}`)},main`)].join("\n") + "\n");
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    // r1 built at HEAD and reproducible; r2 at an older commit; r3 not reproducible two days ago; r4 not published
    const lock = [
      "cloneUrl,branch,changeset,publishUri,publishTimestamp,reproducible,extraColumn",
      `${git.httpUrl("lock/r1")},main,${heads[0]},https://store/r1.jar,${twoDaysAgo},true,x`,
      `${git.httpUrl("lock/r2")},main,${"0".repeat(40)},https://store/r2.jar,${twoDaysAgo},true,x`,
      `${git.httpUrl("lock/r3")},main,${heads[2]},https://store/r3.jar,${twoDaysAgo},false,x`,
      `${git.httpUrl("lock/r4")},main,${heads[3]},,,,x`,
    ].join("\n");
    await writeFile(join(dir, "repos-lock.csv"), lock + "\n");
    const state = join(dir, "state");
    const r = await dryRun(csv, state, ["--import-lock", join(dir, "repos-lock.csv")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out?.counts).toMatchObject({ unchanged: 1, changed: 1, drift: 1, neverBuilt: 1 });
    expect(r.stderr).toContain("3 repositories as built");
    expect(r.out!.partitions.flatMap((p) => p.rows).sort()).toEqual([2, 3, 4]);
    // the seeded state stays: without the flag, and with a drift age above two days, r3 is unchanged too
    const again = await dryRun(csv, state, ["--drift-age", "3d"]);
    expect(again.out?.counts).toMatchObject({ unchanged: 2, changed: 1, drift: 0, neverBuilt: 1 });
    const missing = await dryRun(csv, state, ["--import-lock", join(dir, "nope.csv")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("LOCK_UNREADABLE");
  });
});
