// `status` and `retry` from the state store: per run ok / failed / timed out / unchanged / not started, and a retry
// that plans only the repositories that did not finish ok.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { openStateStore } from "@mass-ingest/state";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appDir, chunker, seedNight } from "./helpers.js";

let git: GitServer;
let mod: ModStandIn;
let dir: string;
let csv: string;

beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  mod = createModStandIn();
  dir = await mkdtemp(join(tmpdir(), "chunker-status-"));
  const names = Array.from({ length: 5 }, (_, i) => `team/t${i + 1}`);
  for (const n of names) await git.createRepo(n);
  csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl", ...names.map((n) => git.httpUrl(n))].join("\n") + "\n");
});
afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("status counts the run's outcomes and retry plans only the repositories that did not finish ok", async () => {
  const state = join(dir, "state");
  const store = openStateStore(state);
  await seedNight(store, csv, "night-1", mod, { outcome: (row) => (row === 2 ? "failed" : row === 4 ? "timed-out" : "ok") });
  await git.commit("team/t5", { "z.txt": "new" });
  await seedNight(store, csv, "night-2", mod, { outcome: () => "ok" });
  store.close();

  const status = await chunker(["status", "night-1", "--state", state, "--json"], {});
  expect(status.code, status.stderr).toBe(1);
  expect(JSON.parse(status.stdout)).toEqual([
    expect.objectContaining({ runId: "night-1", planned: 5, ok: 3, failed: 1, timedOut: 1, notStarted: 0, unchanged: 0 }),
  ]);
  const latest = await chunker(["status", "latest", "--json"], { STATE_URL: state });
  expect(latest.code, latest.stderr).toBe(0);
  expect(JSON.parse(latest.stdout)).toEqual([expect.objectContaining({ runId: "night-2", planned: 3, ok: 3, unchanged: 2 })]);
  const text = await chunker(["status", "night-1", "--state", state], {});
  expect(text.stdout).toContain("ok 3, failed 1, timed out 1, not started 0; unchanged 0");

  const retry = await chunker(["retry", "night-1", "--state", state, "--dry-run", "--run-id", "night-1-again"], {});
  expect(retry.code, retry.stderr).toBe(0);
  const planned = JSON.parse(retry.stdout) as { retryRunId: string; repos: number; partitions: { rows: number[] }[] };
  expect(planned).toMatchObject({ retryRunId: "night-1-again", repos: 2 });
  expect(planned.partitions.flatMap((p) => p.rows).sort()).toEqual([2, 4]);
  const none = await chunker(["retry", "night-2", "--state", state, "--dry-run"], {});
  expect(none.stdout).toContain("nothing to retry");
});

it("status, retry and report default to <DATA_DIR>/state and all know latest, with no job queue", async () => {
  const dataDir = join(dir, "data");
  const store = openStateStore(join(dataDir, "state"));
  await seedNight(store, csv, "night-9", mod, { outcome: (row) => (row === 3 ? "failed" : "ok") });
  store.close();
  // DATA_DIR relative to the current directory (the app folder), as in every app
  const env = { DATA_DIR: relative(appDir, dataDir) };

  const status = await chunker(["status", "latest", "--json"], env);
  expect(status.stderr).not.toContain("queue");
  expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ runId: "night-9", failed: 1 })]);
  const retry = await chunker(["retry", "latest", "--dry-run", "--run-id", "night-9-again"], env);
  expect(retry.code, retry.stderr).toBe(0);
  expect(JSON.parse(retry.stdout)).toMatchObject({ runId: "night-9", retryRunId: "night-9-again", repos: 1 });
  const report = await chunker(["report", "latest", "--json"], env);
  expect(report.code, report.stderr).toBe(0);
  expect(JSON.parse(report.stdout)).toMatchObject({ runId: "night-9" });
});

it("status exits 1 and names the failed repositories with their first cause line, and for a run that did not finish", async () => {
  const state = join(dir, "state-8");
  const store = openStateStore(state);
  await seedNight(store, csv, "night-a", mod, {
    outcome: (row) => (row === 2 ? "failed" : row === 4 ? "timed-out" : "ok"),
    error: (row) =>
      row === 2 ? "Could not resolve com.example:lib:1.0\n  at gradle" : row === 4 ? "build timed out after 2700 s" : undefined,
  });
  store.close();
  const text = await chunker(["status", "night-a", "--state", state], {});
  expect(text.code).toBe(1);
  expect(text.stdout).toContain(`failed: row 2 ${git.httpUrl("team/t2")}: Could not resolve com.example:lib:1.0\n`);
  expect(text.stdout).toContain(`timed out: row 4 ${git.httpUrl("team/t4")}: build timed out after 2700 s`);
  expect(text.stdout).not.toContain("at gradle");
  const json = JSON.parse((await chunker(["status", "night-a", "--state", state, "--json"], {})).stdout) as [{ failures: unknown[] }];
  expect(json[0].failures).toEqual([
    { row: 2, cloneUrl: git.httpUrl("team/t2"), outcome: "failed", cause: "Could not resolve com.example:lib:1.0" },
    { row: 4, cloneUrl: git.httpUrl("team/t4"), outcome: "timed-out", cause: "build timed out after 2700 s" },
  ]);

  // interrupted after two repositories: nothing failed, but the run did not finish
  const interrupted = join(dir, "state-8i");
  const store2 = openStateStore(interrupted);
  await seedNight(store2, csv, "night-b", mod, { reached: (row) => row <= 2 });
  store2.close();
  const cut = await chunker(["status", "latest", "--state", interrupted], {});
  expect(cut.code, cut.stdout).toBe(1);
  expect(cut.stdout).toContain("not started 3");
  expect(cut.stdout).toContain("3 planned repositories have no result");

  // no run at all
  const empty = await chunker(["status", "latest", "--state", join(dir, "state-8-empty")], {});
  expect(empty.code, empty.stdout).toBe(1);
});
