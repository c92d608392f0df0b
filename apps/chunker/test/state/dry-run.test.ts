// `submit --dry-run` with a state store, against a loopback git server whose repositories get new commits between
// nights: what is selected and why (changed, failed last time, fingerprint, max age, --full, ls-remote failure),
// a corrupt state, a held lock, and the same against S3 on moto_server.
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@mass-ingest/core/aws";
import { openStateStore, type StateStore } from "@mass-ingest/state";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunker, seedNight } from "./helpers.js";

let git: GitServer;
let mod: ModStandIn;
let moto: Moto;
let dir: string;
const names = Array.from({ length: 6 }, (_, i) => `team/s${i + 1}`);

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  moto = await startMoto();
  for (const n of names) await git.createRepo(n);
  dir = await mkdtemp(join(tmpdir(), "chunker-state-"));
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function writeCsv(file: string, java: (i: number) => string = () => "17"): Promise<string> {
  await writeFile(file, ["cloneUrl,branch,java", ...names.map((n, i) => `${git.httpUrl(n)},main,${java(i)}`)].join("\n") + "\n");
  return file;
}

async function dryRun(csv: string, state: string, extra: string[] = [], env: Record<string, string | undefined> = {}) {
  const r = await chunker(["submit", csv, "--dry-run", "--state", state, "--run-id", "dry", ...extra], {
    ...mod.env,
    MOD_CLI: mod.command,
    ...env,
  });
  return {
    ...r,
    out:
      r.code === 0
        ? (JSON.parse(r.stdout) as {
            counts: Record<string, number>;
            toBuild: number;
            lsRemote: { calls: number };
            partitions: { rows: number[] }[];
            predictedMakespanMs: number;
          })
        : undefined,
  };
}
const rowsOf = (out: { partitions: { rows: number[] }[] } | undefined) => out!.partitions.flatMap((p) => p.rows).sort((a, b) => a - b);

describe("submit --dry-run with a state store", () => {
  it("selects never built, then exactly the changed, failed, fingerprint-changed and unreadable-remote ones", async () => {
    const csv = await writeCsv(join(dir, "a.csv"));
    const state = join(dir, "state-a");
    const first = await dryRun(csv, state);
    expect(first.code, first.stderr).toBe(0);
    expect(first.out).toMatchObject({ counts: { neverBuilt: 6, unchanged: 0 }, toBuild: 6, lsRemote: { calls: 0 } });
    expect(first.stderr).not.toContain("Cannot run"); // the stand-in's version went into the fingerprints
    const store = openStateStore(state);
    expect(await seedNight(store, csv, "n1", mod, { outcome: (row) => (row === 3 ? "failed" : "ok") })).toEqual([1, 2, 3, 4, 5, 6]);
    await git.commit("team/s2", { "x.txt": "new" });
    const second = await dryRun(csv, state);
    expect(second.out).toMatchObject({ counts: { changed: 1, failedLastTime: 1, unchanged: 4 }, lsRemote: { calls: 5 } });
    expect(rowsOf(second.out)).toEqual([2, 3]);
    // the java column is part of the fingerprint; a repository the server lost cannot be asked: built (doubt)
    const javaCsv = await writeCsv(join(dir, "a-java.csv"), (i) => (i === 4 ? "21" : "17"));
    const s6 = join(git.root, "public", "team/s6.git");
    await rename(s6, `${s6}.away`);
    const third = await dryRun(javaCsv, state);
    expect(third.out).toMatchObject({ counts: { changed: 1, failedLastTime: 1, fingerprintChanged: 1, unknown: 1, unchanged: 2 } });
    expect(rowsOf(third.out)).toEqual([2, 3, 5, 6]);
    await rename(`${s6}.away`, s6);
    store.close();
  });

  it("--max-age and --full build what did not change", async () => {
    const csv = await writeCsv(join(dir, "b.csv"));
    const state = join(dir, "state-b");
    const store = openStateStore(state);
    await seedNight(store, csv, "n1", mod, { now: new Date(Date.now() - 3 * 86_400_000) });
    expect((await dryRun(csv, state)).out).toMatchObject({ counts: { unchanged: 6 }, toBuild: 0, partitions: [] });
    // max age alone (cap and fill, the default, turned off)
    expect((await dryRun(csv, state, ["--max-age", "2d", "--max-stale", "off"])).out).toMatchObject({ counts: { stale: 6, unchanged: 0 } });
    expect((await dryRun(csv, state, ["--max-age", "4d", "--max-stale", "off"])).out).toMatchObject({ counts: { unchanged: 6 } });
    // Steady nights: with a cap, --fill-stale tops a quiet night up to it with builds older than half the max age
    // (3 days of 4: 6 rows / 4 days = 2 a night), oldest first; without it the night stays quiet.
    expect((await dryRun(csv, state, ["--max-age", "4d", "--max-stale", "auto", "--no-fill-stale"])).out).toMatchObject({
      counts: { stale: 0, unchanged: 6 },
    });
    expect((await dryRun(csv, state, ["--max-age", "4d", "--max-stale", "auto", "--fill-stale"])).out).toMatchObject({
      counts: { stale: 2, unchanged: 4 },
    });
    // cap and fill is the default: the same 2 a night at 4 days; at 2 days the cap (6 / 2 = 3) cuts the 6 stale
    expect((await dryRun(csv, state, ["--max-age", "4d"])).out).toMatchObject({ counts: { stale: 2, unchanged: 4 } });
    expect((await dryRun(csv, state, ["--max-age", "2d"])).out).toMatchObject({ counts: { stale: 3, unchanged: 3 } });
    expect((await dryRun(csv, state, ["--full"])).out).toMatchObject({ counts: { full: 6 }, lsRemote: { calls: 0 } });
    const bad = await dryRun(csv, state, ["--max-age", "soon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-age must be a duration");
    store.close();
  });

  it("a repository predicted over the time budget gets its own partition and a warning naming it", async () => {
    const csv = await writeCsv(join(dir, "f.csv"));
    const state = join(dir, "state-f");
    // every repository took 10 min last time (rebuilt with --full), over a 5 min budget
    await seedNight(openStateStore(state), csv, "n1", mod, { buildMs: 10 * 60_000 });
    const r = await dryRun(csv, state, ["--time-budget", "5m", "--full"]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.out as unknown as { partitions: { rows: number[] }[]; warnings: string[] };
    expect(out.partitions.map((p) => p.rows.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(out.warnings).toHaveLength(6);
    expect(out.warnings[0]).toContain("Row 1 (http://127.0.0.1:");
    expect(out.warnings[0]).toContain("over the time budget of 5.0 min");
    expect(r.stderr).toContain("over the time budget");
    const wide = await dryRun(csv, state, ["--time-budget", "1h", "--partition-size", "4", "--full"]);
    expect((wide.out as unknown as { partitions: { rows: number[] }[] }).partitions.map((p) => p.rows.length)).toEqual([3, 3]);
  });

  it("a first night (no duration known) fills partitions up to --partition-size and says what it assumed", async () => {
    const csv = await writeCsv(join(dir, "g.csv"));
    const r = await dryRun(csv, join(dir, "state-g"), ["--partition-size", "4"]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.out as unknown as { partitions: { rows: number[] }[]; warnings: string[] };
    // 6 rows at budget / 4 each: two partitions (balanced), none over 4 rows
    expect(out.partitions.map((p) => p.rows.length)).toEqual([3, 3]);
    expect(out.warnings[0]).toMatch(/first night.*assumed 720\.0 s per repository for 6 repositories.*--partition-size 4/);
  });

  it("a corrupt state stops with exit 2 naming the file and the way out; --full plans from nothing, writing nothing", async () => {
    const csv = await writeCsv(join(dir, "c.csv"));
    const state = join(dir, "state-c");
    await seedNight(openStateStore(state), csv, "n1", mod);
    await writeFile(join(state, "state.json"), "{ not json");
    const r = await dryRun(csv, state);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(state, "state.json"));
    expect(r.stderr).toContain("--full");
    const full = await dryRun(csv, state, ["--full"]);
    expect(full.code, full.stderr).toBe(0);
    expect(full.out).toMatchObject({ counts: { full: 6 } });
    // a dry run writes nothing: the submit that records the run replaces the file (packages/state test/state-io.test.ts)
    expect(await readFile(join(state, "state.json"), "utf8")).toBe("{ not json");
  });

  it("a second chunker while one updates the state is told who holds the lock and changes nothing", async () => {
    const csv = await writeCsv(join(dir, "d.csv"));
    const state = join(dir, "state-d");
    const store: StateStore = openStateStore(state);
    await seedNight(store, csv, "n1", mod);
    const before = await readFile(join(state, "state.json"), "utf8");
    let second: Awaited<ReturnType<typeof dryRun>> | undefined;
    await store.updateState(async (s) => {
      second = await dryRun(csv, state);
      return s;
    });
    expect(second!.code).toBe(2);
    expect(second!.stderr).toContain("[STATE_LOCKED]");
    expect(second!.stderr).toContain(`pid ${process.pid}`);
    expect(JSON.parse(await readFile(join(state, "state.json"), "utf8")).repos).toEqual(JSON.parse(before).repos);
    store.close();
  });

  it("works the same with the state in S3 (moto_server)", async () => {
    const s3 = createS3Client({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
    await s3.send(new CreateBucketCommand({ Bucket: "chunker-state" }));
    s3.destroy();
    const csv = await writeCsv(join(dir, "e.csv"));
    const url = "s3://chunker-state/nightly";
    const store = openStateStore(url, { aws: { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials } });
    await seedNight(store, csv, "n1", mod, { outcome: (row) => (row === 1 ? "timed-out" : "ok") });
    await git.commit("team/s4", { "y.txt": "new" });
    const r = await dryRun(csv, url, [], moto.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ counts: { changed: 1, failedLastTime: 1, unchanged: 4 } });
    expect(rowsOf(r.out)).toEqual([1, 4]);
    store.close();
  });
});
