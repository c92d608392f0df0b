/** The behaviour both backends share, run against a local directory and against S3 on moto_server. */
import { expect, test } from "vitest";
import { StateConflictError } from "../../src/errors.js";
import type { StateStore, StateStoreOptions } from "../../src/store/state-store.js";
import { serializeResult } from "../../src/parse.js";
import { foldPendingRuns, openResultRecorder, withPendingRun } from "../../src/runs.js";
import { entry, result, resultEntry } from "../helpers.js";

const TASK_1A = "t1a0f1e2d3c4b5a69788796a5b4c3d2e";
const TASK_1B = "t1b1f1e2d3c4b5a69788796a5b4c3d2e";
const TASK_2 = "t2a2f1e2d3c4b5a69788796a5b4c3d2e";
const user = (task: string) => `AROAEXAMPLEPROCESSOR1:${task}`;

/** A run of two partitions: rows 1, 2 (keys a, b) and row 3 (key c). */
const twoPartitions = (runId: string) => ({
  runId,
  csv: { location: "repos.csv", rowCount: 3, sha256: "0".repeat(64) },
  createdAt: "2026-11-30T00:00:00.000Z",
  timeBudgetMs: 100,
  predictedMakespanMs: 10,
  partitions: [
    {
      partition: 1,
      predictedMs: 10,
      rows: [
        { row: 1, key: "a", predictedMs: 5 },
        { row: 2, key: "b", predictedMs: 5 },
      ],
    },
    { partition: 2, predictedMs: 10, rows: [{ row: 3, key: "c", predictedMs: 10 }] },
  ],
});

export function storeContract(open: (options?: StateStoreOptions) => StateStore, options: { conditional: boolean }): void {
  test("read is empty at first; atomic write and read back with a token", async () => {
    const store = open();
    expect(await store.backend.read("x/y.json")).toBeUndefined();
    const token = await store.backend.write("x/y.json", "one");
    expect(await store.backend.read("x/y.json")).toEqual({ text: "one", token });
    const token2 = await store.backend.write("x/y.json", "two");
    expect(token2).not.toBe(token);
    expect(await store.backend.list("x/")).toEqual(["x/y.json"]);
  });

  test.runIf(options.conditional)("conditional writes: If-None-Match * and If-Match throw StateConflictError when they lose", async () => {
    const store = open();
    const token = await store.backend.write("c.json", "first", { ifNoneMatch: "*" });
    await expect(store.backend.write("c.json", "second", { ifNoneMatch: "*" })).rejects.toBeInstanceOf(StateConflictError);
    const token2 = await store.backend.write("c.json", "second", { ifMatch: token });
    await expect(store.backend.write("c.json", "third", { ifMatch: token })).rejects.toBeInstanceOf(StateConflictError);
    expect((await store.backend.read("c.json"))?.text).toBe("second");
    expect((await store.backend.read("c.json"))?.token).toBe(token2);
  });

  test("records: state, manifest, selection, results; runs listed", async () => {
    const store = open();
    expect(await store.readState()).toMatchObject({ repos: {} });
    await store.updateState((s) => ({ ...s, repos: { k: entry() } }));
    expect((await store.readState()).repos.k).toEqual(entry());
    const manifest = {
      runId: "run-1",
      csv: { location: "repos.csv", rowCount: 2, sha256: "0".repeat(64) },
      createdAt: "2026-11-30T00:00:00.000Z",
      timeBudgetMs: 100,
      predictedMakespanMs: 10,
      partitions: [{ partition: 1, predictedMs: 10, rows: [{ row: 1, key: "k", predictedMs: 10 }] }],
    };
    const location = await store.writeManifest(manifest);
    expect(location).toMatch(/runs\/run-1\/manifest\.json$/);
    expect(await store.readManifest("run-1")).toEqual(manifest);
    await expect(store.readManifest("nope")).rejects.toMatchObject({ code: "PLAN_NOT_FOUND" });
    const selection = {
      runId: "run-1",
      createdAt: "t",
      counts: { neverBuilt: 0, changed: 0, fingerprintChanged: 0, failedLastTime: 0, stale: 0, full: 0, unknown: 0, unchanged: 1 },
      unchanged: [{ row: 2, key: "u", commit: "c" }],
    };
    await store.writeSelection(selection);
    expect(await store.readSelection("run-1")).toEqual(selection);
    await store.writeResult(result("run-1", 2, [resultEntry("k", 1)]));
    await store.writeResult(result("run-1", 10, [resultEntry("k2", 3)]));
    expect((await store.readResults("run-1")).map((r) => r.partition)).toEqual([2, 10]);
    const visited: number[] = [];
    expect(await store.forEachResult("run-1", (r) => void visited.push(r.partition), { concurrency: 1 })).toBe(2);
    expect(visited.sort((a, b) => a - b)).toEqual([2, 10]);
    expect(await store.listRuns()).toEqual(["run-1"]);
  });

  test.runIf(options.conditional)("two attempts of one partition both survive in its result record (create-or-merge)", async () => {
    const store = open();
    const first = await openResultRecorder(store, "run-3", 1);
    const second = await openResultRecorder(store, "run-3", 1);
    await Promise.all([
      first.record(resultEntry("a", 1)),
      second.record(resultEntry("b", 2)),
      ...[3, 4, 5, 6].map((row) =>
        store.writeResult({ ...result("run-3", 1, [resultEntry(`k${row}`, row)]), attempts: [`2026-11-30T0${row}:00:00.000Z`] }),
      ),
    ]);
    await first.record(resultEntry("c", 7, { outcome: "failed", finishedAt: "2026-11-30T03:00:00.000Z" }));
    const merged = await store.readResult("run-3", 1);
    expect(merged?.repos.map((e) => e.key)).toEqual(["a", "b", "k3", "k4", "k5", "k6", "c"]);
    expect(merged?.attempts?.slice(0, 4)).toEqual([3, 4, 5, 6].map((h) => `2026-11-30T0${h}:00:00.000Z`));
    expect(merged?.attempts?.length).toBeGreaterThanOrEqual(5);
    // an older entry of one key never replaces a newer one
    await store.writeResult(result("run-3", 1, [resultEntry("c", 7, { finishedAt: "2026-11-30T01:00:00.000Z" })]));
    expect((await store.readResult("run-3", 1))?.repos.find((e) => e.key === "c")?.outcome).toBe("failed");
    store.close();
  });

  test.runIf(options.conditional)("per-task result records: folded only from a task AWS Batch ran for the partition", async () => {
    const warnings: string[] = [];
    const asked: number[][] = [];
    const ranTasks = async (_runId: string, partitions: readonly number[]) => {
      asked.push([...partitions]);
      return new Map([
        [1, [TASK_1A, TASK_1B]],
        [2, [TASK_2]],
      ]);
    };
    const store = open({ onWarning: (w) => warnings.push(w), ranTasks });
    await store.writeManifest(twoPartitions("run-4"));
    await store.updateState((s) => withPendingRun(s, "run-4"));
    // partition 1's child ran twice (tasks 1A, 1B): each attempt writes its own record, both survive
    const first = await openResultRecorder(store, "run-4", 1, { userId: user(TASK_1A) });
    await first.record(resultEntry("a", 1, { outcome: "failed", finishedAt: "2026-11-30T01:00:00.000Z" }));
    const second = await openResultRecorder(store, "run-4", 1, { userId: user(TASK_1B) });
    expect(second.previous).toEqual([]);
    await second.record(resultEntry("a", 1, { finishedAt: "2026-11-30T02:00:00.000Z" }));
    await second.record(resultEntry("b", 2));
    await store.writeResult(result("run-4", 2, [resultEntry("c", 3)]), { userId: user(TASK_2) });
    // partition 2's task forges partition 1 under its own prefix (IAM allows it), and a key nesting task 1A's prefix
    const forged = result("run-4", 1, [resultEntry("a", 1, { outcome: "failed", finishedAt: "2026-11-30T03:00:00.000Z" })]);
    await store.writeResult(forged, { userId: user(TASK_2) });
    await store.backend.write(`runs/run-4/results/by-task/${user(TASK_2)}/x/by-task/${user(TASK_1A)}/p1.json`, serializeResult(forged));

    const results = await store.readResults("run-4");
    expect(results.map((r) => [r.partition, r.repos.map((e) => `${e.key}:${e.outcome}`)])).toEqual([
      [1, ["a:ok", "b:ok"]],
      [2, ["c:ok"]],
    ]);
    expect(results[0]?.attempts).toHaveLength(2);
    expect(asked).toEqual([[1, 2]]);
    expect(warnings.join("\n")).toContain(
      `by-task/${user(TASK_2)}/p1.json: it was written by task ${TASK_2}, which AWS Batch did not run for partition 1`,
    );
    expect(warnings.join("\n")).toMatch(/by-task\/AROA\w+:t2\w*\/x\/by-task\/.*p1\.json: not a result record's key/);
    const folded = await foldPendingRuns(store, { now: new Date("2026-11-30T06:00:00.000Z") });
    expect([folded.repos.a?.outcome, folded.repos.b?.outcome, folded.repos.c?.outcome]).toEqual(["ok", "ok", "ok"]);
    expect(folded.pendingRuns).toEqual([]);

    // no AWS Batch to ask (a local run): every per-task record is refused, naming its key
    const noBatch: string[] = [];
    expect(await open({ onWarning: (w) => noBatch.push(w) }).readResults("run-4")).toEqual([]);
    expect(noBatch.filter((w) => /per-task result record .*no AWS Batch to ask/.test(w))).toHaveLength(4);
    store.close();
  });

  test("a result record cut mid-write is ignored with a warning, never a crash", async () => {
    const warnings: string[] = [];
    const store = open({ onWarning: (w) => warnings.push(w) });
    await store.backend.write(
      "runs/run-2/results/p1.json",
      '{"kind":"mass-ingest/partition-result","version":1,"runId":"run-2","partition":1,"repos":[{"key":',
    );
    expect(await store.readResult("run-2", 1)).toBeUndefined();
    expect(await store.readResults("run-2")).toEqual([]);
    expect(warnings.join("\n")).toMatch(/Ignoring .*p1\.json.*not finished/);
    store.close();
  });

  test("a corrupt state file: readState and updateState throw a StateError naming it; discardUnreadable replaces it", async () => {
    const store = open();
    await store.backend.write("state.json", "<html>not json</html>");
    await expect(store.readState()).rejects.toMatchObject({ code: "STATE_CORRUPT", message: expect.stringContaining("state.json") });
    await expect(store.updateState((s) => s)).rejects.toMatchObject({ code: "STATE_CORRUPT" });
    await store.updateState((s) => ({ ...s, repos: { k: entry() } }), { discardUnreadable: true });
    expect(Object.keys((await store.readState()).repos)).toEqual(["k"]);
  });
}
