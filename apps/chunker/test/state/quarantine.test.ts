// Quarantine end to end through the chunker: a repository failing three nights in a row is held back (listed, not
// dropped), `release` lets it build again, and a new commit brings it back on its own.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStateStore } from "@mass-ingest/state";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chunker, seedNight } from "./helpers.js";

let git: GitServer;
let mod: ModStandIn;
let dir: string;
let csv: string;
const names = ["team/good", "team/broken", "team/other"];

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  dir = await mkdtemp(join(tmpdir(), "chunker-quarantine-"));
  for (const n of names) await git.createRepo(n);
  csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl", ...names.map((n) => git.httpUrl(n))].join("\n") + "\n");
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

async function dryRun(
  state: string,
): Promise<{ counts: Record<string, number>; quarantined: { row: number }[]; partitions: { rows: number[] }[] }> {
  const r = await chunker(["submit", csv, "--executor", "local", "--dry-run", "--state", state, "--mod-cli", mod.command], mod.env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

it("holds back a repository failing three nights, until release or a new commit", async () => {
  const state = join(dir, "state");
  const store = openStateStore(state);
  for (const night of [3, 2, 1]) {
    await seedNight(store, csv, `night-${night}`, mod, { now: daysAgo(night), outcome: (row) => (row === 2 ? "failed" : "ok") });
  }
  store.close();

  const held = await dryRun(state);
  expect(held.quarantined).toEqual([expect.objectContaining({ row: 2, cause: "unknown" })]);
  expect(held.counts).toMatchObject({ quarantined: 1, unchanged: 2, failedLastTime: 0 });
  expect(held.partitions.flatMap((p) => p.rows)).toEqual([]);

  const list = await chunker(["release", "--list", "--state", state], {});
  expect(list.stdout).toMatch(/team\/broken: unknown for 3 nights since/);

  const released = await chunker(["release", git.httpUrl("team/broken"), "--state", state], {});
  expect(released.code, released.stderr).toBe(0);
  expect(released.stdout).toContain("released");
  expect((await dryRun(state)).partitions.flatMap((p) => p.rows)).toEqual([2]);
  const again = await chunker(["release", git.httpUrl("team/broken"), "--state", state], {});
  expect(again.code).toBe(1);

  // Three more failing nights: held again; then a new commit builds it without a release.
  const store2 = openStateStore(state);
  await seedNight(store2, csv, "night-0", mod, { now: daysAgo(0.5), outcome: () => "failed" });
  store2.close();
  expect((await dryRun(state)).counts.quarantined).toBe(0);
  const seeded = openStateStore(state);
  const st = await seeded.readState();
  const key = Object.keys(st.repos).find((k) => k.includes("broken"))!;
  await seeded.updateState((s) => ({ ...s, repos: { ...s.repos, [key]: { ...s.repos[key]!, failStreak: 3 } } }));
  seeded.close();
  expect((await dryRun(state)).quarantined).toHaveLength(1);
  await git.commit("team/broken", { "fix.txt": "fixed" });
  const fixed = await dryRun(state);
  expect(fixed.quarantined).toEqual([]);
  expect(fixed.partitions.flatMap((p) => p.rows)).toContain(2);
});
