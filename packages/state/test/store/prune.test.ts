import { mkdtemp, rm, utimes } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { pruneLocalRuns } from "../../src/store/prune.js";
import { openStateStore } from "../../src/store/state-store.js";
import { result, resultEntry } from "../helpers.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const DAY = 86_400_000;

test("local run folders older than the retention are removed, pending and kept runs never", async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), "state-prune-"));
  dirs.push(root);
  const store = openStateStore(root);
  for (const runId of ["old", "old-pending", "recent"]) await store.writeResult(result(runId, 1, [resultEntry("k", 1)]));
  const now = new Date();
  const longAgo = new Date(now.getTime() - 100 * DAY);
  for (const runId of ["old", "old-pending"]) await utimes(store.location(`runs/${runId}/results/p1.json`), longAgo, longAgo);
  expect(await pruneLocalRuns(store, { now, keep: ["old-pending"] })).toEqual(["old"]);
  expect(await store.listRuns()).toEqual(["old-pending", "recent"]);
  // a shorter retention (the setting) takes the recent run too, once it is older than that
  expect(await pruneLocalRuns(store, { now: new Date(now.getTime() + 2 * DAY), retentionMs: DAY, keep: ["old-pending"] })).toEqual([
    "recent",
  ]);
  const s3 = openStateStore("s3://bucket/prefix", { env: { AWS_REGION: "us-east-1" } });
  expect(await pruneLocalRuns(s3)).toEqual([]); // S3: the bucket's lifecycle rule
  s3.close();
});
