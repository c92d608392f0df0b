import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { parseResult, serializeResult } from "../src/parse.js";
import { openResultRecorder } from "../src/runs.js";
import { openStateStore } from "../src/store/state-store.js";
import { resultEntry } from "./helpers.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

// The run report draws each partition from its first attempt's start to its last write.
test("a result record keeps the start time of every attempt that recorded into it, oldest first", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "state-attempts-"));
  dirs.push(dir);
  const store = openStateStore(path.join(dir, "state"));
  const before = Date.now();
  await (await openResultRecorder(store, "r1", 1)).record(resultEntry("k1", 1, { outcome: "failed" }));
  await (await openResultRecorder(store, "r1", 1)).record(resultEntry("k1", 1));
  const record = await store.readResult("r1", 1);
  expect(record?.attempts).toHaveLength(2);
  const [first, second] = (record?.attempts ?? []).map((t) => Date.parse(t));
  expect(first).toBeGreaterThanOrEqual(before);
  expect(second).toBeGreaterThanOrEqual(first!);
});

test("records without attempts (written before they existed) still read, and attempts survive a round trip", () => {
  const old = parseResult(serializeResult({ runId: "r", partition: 1, updatedAt: "2026-11-30T00:00:00.000Z", repos: [] }), "p1.json");
  expect(old.attempts).toBeUndefined();
  const now = parseResult(
    serializeResult({ runId: "r", partition: 1, updatedAt: "2026-11-30T00:00:00.000Z", attempts: ["2026-11-30T00:00:00.000Z"], repos: [] }),
    "p1.json",
  );
  expect(now.attempts).toEqual(["2026-11-30T00:00:00.000Z"]);
});
