// The chunker's report command, spawned as a real process (from source through tsx), on a local state store.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openStateStore, type ResultEntry } from "@mass-ingest/state";
import { runProcess } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, expect, it } from "vitest";

const appDir = fileURLToPath(new URL("../../..", import.meta.url));
let dir: string;
let state: string;

const chunker = (args: string[], env: Record<string, string | undefined> = {}) =>
  runProcess(process.execPath, ["--import", "tsx", "src/main.ts", "report", ...args], {
    cwd: appDir,
    env: { ...process.env, STATE_URL: undefined, DATA_DIR: undefined, ...env },
  });

const entry = (row: number, outcome: ResultEntry["outcome"]): ResultEntry => ({
  key: `https://git.example.com/acme/r${row}`,
  row,
  cloneUrl: `https://git.example.com/acme/r${row}.git`,
  fingerprint: "f",
  outcome,
  durations: { syncMs: 10, buildMs: 1_000 * row },
  finishedAt: new Date(Date.UTC(2026, 10, 30, 1, row)).toISOString(),
  logs: `/logs/r${row}.log`,
  ...(outcome === "ok" ? {} : { error: "boom" }),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "chunker-report-"));
  state = path.join(dir, "state");
  const store = openStateStore(state);
  const rows = [1, 2, 3].map((row) => ({ row, key: `https://git.example.com/acme/r${row}`, predictedMs: 1_000 }));
  await store.writeManifest({
    runId: "run-1",
    csv: { location: "repos.csv", rowCount: 3, sha256: "a".repeat(64) },
    createdAt: "2026-11-30T01:00:00.000Z",
    timeBudgetMs: 1,
    predictedMakespanMs: 3_000,
    partitions: [{ partition: 1, predictedMs: 3_000, rows }],
  });
  await store.writeResult({
    runId: "run-1",
    partition: 1,
    updatedAt: "2026-11-30T01:05:00.000Z",
    repos: [entry(1, "ok"), entry(2, "failed")],
  });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("writes the latest run's report into the state store and prints its path; --json says where and the totals", async () => {
  const run = await chunker([], { DATA_DIR: dir });
  expect(run.code, run.stderr).toBe(0);
  const html = path.join(state, "runs", "run-1", "report.html");
  expect(run.stdout.trim()).toBe(html);
  expect(await readFile(html, "utf8")).toContain("acme/r2");
  const out = path.join(dir, "out");
  const json = await chunker(["run-1", "--state", state, "--out", out, "--json", "--price-per-vcpu-hour", "0.05"]);
  expect(json.code, json.stderr).toBe(0);
  const parsed = JSON.parse(json.stdout) as { runId: string; html: string; inStore: { html: string }; totals: Record<string, number> };
  expect(parsed).toMatchObject({ runId: "run-1", html: path.join(out, "report-run-1.html"), inStore: { html } });
  expect(parsed.totals).toEqual({ repos: 3, ok: 1, failed: 1, timeout: 0, unchanged: 0, notReached: 1 });
});

it("an unknown run exits 2 and says where it looked", async () => {
  const run = await chunker(["nope", "--state", state]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(path.join(state, "runs", "nope", "manifest.json"));
});

it("counts the repositories whose LST is older than --freshness-target, with the reason", async () => {
  const store = openStateStore(state);
  const base = { fingerprint: "f", durations: {}, runId: "run-1" };
  await store.updateState((s) => ({
    ...s,
    repos: {
      "https://git.example.com/acme/r1": { ...base, outcome: "ok", finishedAt: "2026-11-30T01:01:00.000Z" },
      "https://git.example.com/acme/r2": {
        ...base,
        outcome: "failed",
        finishedAt: "2026-11-30T01:02:00.000Z",
        failStreak: 3,
        cause: "auth",
      },
    },
  }));
  store.close();
  const json = await chunker(["run-1", "--state", state, "--json"]);
  expect(json.code, json.stderr).toBe(0);
  expect(JSON.parse(json.stdout).freshness).toEqual({
    outside: 2,
    byReason: { quarantined: 1, failing: 0, "rollout-pending": 0, "over-budget": 1 },
  });
  const wide = await chunker(["run-1", "--state", state, "--json", "--freshness-target", "3650d"]);
  expect(JSON.parse(wide.stdout).freshness.outside).toBe(1);
  const html = await readFile(path.join(state, "runs", "run-1", "report.html"), "utf8");
  expect(html).toContain("<h2>Freshness</h2>");
});

it("latest after a retry is the night as a whole: the first run plus its retry", async () => {
  const night = path.join(dir, "night-state");
  const store = openStateStore(night);
  const rows = [1, 2, 3].map((row) => ({ row, key: `https://git.example.com/acme/r${row}`, predictedMs: 1_000 }));
  const manifest = {
    runId: "run-1",
    csv: { location: "repos.csv", rowCount: 3, sha256: "a".repeat(64) },
    createdAt: "2026-11-30T01:00:00.000Z",
    timeBudgetMs: 1,
    predictedMakespanMs: 3_000,
    partitions: [{ partition: 1, predictedMs: 3_000, rows }],
  };
  await store.writeManifest(manifest);
  await store.writeResult({
    runId: "run-1",
    partition: 1,
    updatedAt: "2026-11-30T01:05:00.000Z",
    repos: [entry(1, "ok"), entry(2, "failed")],
  });
  // The retry of rows 2 and 3, as `retry` records it: a run of its own whose manifest names the run it retries.
  const later = (e: ResultEntry): ResultEntry => ({ ...e, finishedAt: new Date(Date.parse(e.finishedAt) + 3_600_000).toISOString() });
  await store.writeManifest({
    ...manifest,
    runId: "run-1-again",
    retryOf: "run-1",
    createdAt: "2026-11-30T02:00:00.000Z",
    partitions: [{ partition: 1, predictedMs: 2_000, rows: rows.slice(1) }],
  });
  await store.writeResult({
    runId: "run-1-again",
    partition: 1,
    updatedAt: "2026-11-30T02:05:00.000Z",
    repos: [later(entry(2, "ok")), later(entry(3, "failed"))],
  });
  store.close();
  const json = await chunker(["latest", "--state", night, "--json"]);
  expect(json.code, json.stderr).toBe(0);
  const parsed = JSON.parse(json.stdout) as { runId: string; html: string; totals: Record<string, number> };
  expect(parsed.runId).toBe("run-1-again");
  expect(parsed.totals).toEqual({ repos: 3, ok: 2, failed: 1, timeout: 0, unchanged: 0, notReached: 0 });
  const html = await readFile(parsed.html, "utf8");
  expect(html).toContain("with its retry run-1-again");
  expect(html).toContain(">retry 1 · p1<");
});
