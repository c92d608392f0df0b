// Issue 21, "Done when", end to end: the real chunker (`submit --executor local`) runs the real processor against
// one state directory, night after night, with the Moderne CLI stand-in building repositories of a loopback git
// server and publishing to nginx WebDAV.
// - a transient publish failure (the artifact repository answers 503 once) is retried and ends ok in the same run;
// - a repository failing three nights is quarantined (not built on night 4) and comes back on its next commit.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunker } from "./helpers.js";
import { runNight, workDirRows } from "./nights.js";

let git: GitServer;
let nginx: Nginx;
let mod: ModStandIn;
let dir: string;
let csv: string;
const names = ["night/ok", "night/flaky", "night/broken"];

beforeAll(async () => {
  [git, nginx] = await Promise.all([startGitServer({ daemon: false }), startNginx()]);
  mod = createModStandIn();
  for (const n of names) await git.createRepo(n, { files: { "pom.xml": "<project/>\n" } });
  dir = await mkdtemp(join(tmpdir(), "chunker-triage-e2e-"));
  csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", ...names.map((n) => `${git.httpUrl(n)},main`)].join("\n") + "\n");
});
afterAll(async () => {
  await Promise.all([git?.stop(), nginx?.stop()]);
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const publishTo = () => ({ PUBLISH_URL: `${nginx.url}/triage`, PUBLISH_USER: nginx.user, PUBLISH_PASSWORD: nginx.password });

interface StateFile {
  repos: Record<string, { outcome: string; cause?: string; failStreak?: number; failingSince?: string }>;
}
const stateOf = async (dataDir: string) => JSON.parse(await readFile(join(dataDir, "state", "state.json"), "utf8")) as StateFile;
const entryOf = (state: StateFile, name: string) => Object.entries(state.repos).find(([key]) => key.includes(name))?.[1];
/** What the processors recorded for `name` in run `runId` (folded into state.json at the next submit). */
async function resultOf(dataDir: string, runId: string, name: string) {
  const results = join(dataDir, "state", "runs", runId, "results");
  const entries = [];
  for (const file of await readdir(results)) {
    entries.push(...(JSON.parse(await readFile(join(results, file), "utf8")) as { repos: Array<{ key: string; outcome: string }> }).repos);
  }
  return entries.find((e) => e.key.includes(name));
}

// triage alone: no stale cap and fill (the default, which rebuilds builds older than half the max age early;
// runNight passes a day after each night, so from night 5 on night 1's builds qualify)
const maxAgeAlone = ["--max-stale", "off"];

describe("triage across nights, through the chunker and the processor", () => {
  it("retries a transient publish failure in the same run; quarantines a repository failing three nights until its next commit", async () => {
    const dataDir = join(dir, "data");
    // Night 1: the artifact repository answers 503 to night/flaky's first publish; night/broken does not compile.
    mod.setConfig({ buildMs: 5, flakyPublish: { "night/flaky": 1 }, failBuild: ["night/broken"] });
    const n1 = await runNight(mod, csv, dataDir, "n1", publishTo(), maxAgeAlone);
    expect(n1.code, n1.stderr).toBe(1);
    expect(n1.built).toEqual([1, 2, 3]);
    // night/flaky: published twice in the run (503, then 201 after the retry delay), once in the artifact repository
    const publishes = (await mod.calls()).filter((c) => c.argv[0] === "publish" && !c.argv.includes("--help"));
    const rowOf = await workDirRows(csv);
    expect(publishes.map((c) => rowOf.get(c.argv[1]?.split("/").pop() ?? "")).sort()).toEqual([1, 2, 2]);
    expect((await mod.published()).map((p) => p.repo).sort()).toEqual(["night/flaky", "night/ok"]);
    expect(await resultOf(dataDir, "n1", "flaky")).toMatchObject({ outcome: "ok" });

    // Nights 2 and 3: only the broken one is built again (the others are unchanged), and fails again.
    mod.setConfig({ buildMs: 5, failBuild: ["night/broken"] });
    for (const id of ["n2", "n3"]) {
      const night = await runNight(mod, csv, dataDir, id, publishTo(), maxAgeAlone);
      expect(night.code, night.stderr).toBe(1);
      expect(night.built).toEqual([3]);
    }

    // Night 4: the three failing nights are folded in: held back, logged with its cause, nothing built.
    const n4 = await runNight(mod, csv, dataDir, "n4", publishTo(), maxAgeAlone);
    expect(n4.code, n4.stderr).toBe(0);
    expect(n4.built).toEqual([]);
    expect(n4.stderr).toMatch(/row 3 \(\S+broken\S*\) quarantined: failing \(\w+\) since \d{4}-/);
    const held = entryOf(await stateOf(dataDir), "broken")!;
    expect(held).toMatchObject({ outcome: "failed", failStreak: 3 });
    expect(held.cause).not.toBe("transient");
    expect(entryOf(await stateOf(dataDir), "flaky")).toMatchObject({ outcome: "ok" });
    const list = await chunker(["release", "--list", "--state", join(dataDir, "state")], {});
    expect(list.stdout).toMatch(/night\/broken#main: \w+ for 3 nights since/);

    // Night 5: a new commit (the fix) brings it back without a release.
    mod.setConfig({ buildMs: 5 });
    await git.commit("night/broken", { "Fix.java": "class Fix {}\n" });
    const n5 = await runNight(mod, csv, dataDir, "n5", publishTo(), maxAgeAlone);
    expect(n5.code, n5.stderr).toBe(0);
    expect(n5.built).toEqual([3]);
    const after = await chunker(["submit", csv, "--executor", "local", "--dry-run", "--mod-cli", mod.command, ...maxAgeAlone], {
      ...mod.env,
      DATA_DIR: dataDir,
    });
    expect(JSON.parse(after.stdout)).toMatchObject({ toBuild: 0, counts: { quarantined: 0, unchanged: 3 } });
    expect(await resultOf(dataDir, "n5", "broken")).toMatchObject({ outcome: "ok" });
  }, 400_000);
});
