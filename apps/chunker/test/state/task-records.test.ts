// The chunker's state store checks per-task result records against AWS Batch (moto_server): with a queue it asks
// which tasks ran the run (moto ran none here: the record is refused as not run), without one it refuses them all.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createLogger } from "@mass-ingest/core";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openStore } from "../../src/state/store.js";

let moto: Moto;
let dir: string;
beforeAll(async () => {
  moto = await startMoto();
  // the Batch client reads the standard AWS environment, as in the chunk job
  Object.assign(process.env, moto.env);
  dir = await mkdtemp(path.join(os.tmpdir(), "chunker-task-records-"));
});
afterAll(async () => {
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const record = JSON.stringify({ kind: "mass-ingest/partition-result", version: 1, runId: "r1", partition: 1, updatedAt: "t", repos: [] });
const key = "runs/r1/results/by-task/AROAEXAMPLEPROCESSOR1:0f1e2d3c4b5a69788796a5b4c3d2e1f0/p1.json";

async function warningsOf(env: Record<string, string>): Promise<string> {
  const lines: string[] = [];
  const logger = createLogger({ name: "test", level: "warn", destination: { write: (l: string) => void lines.push(l) } });
  const store = openStore(path.join(dir, "state"), logger, env);
  await store.backend.write(key, record);
  expect(await store.readResults("r1")).toEqual([]);
  store.close();
  return lines.join("\n");
}

it("with a job queue the store asks AWS Batch which tasks ran the partition; without one it refuses per-task records", async () => {
  expect(await warningsOf({ ...moto.env, JOB_QUEUE: "mi-queue", JOB_NAME: "mi-processor" })).toMatch(
    /written by task 0f1e2d3c4b5a69788796a5b4c3d2e1f0, but AWS Batch ran no task for partition 1/,
  );
  expect(await warningsOf({ ...moto.env })).toContain("there is no AWS Batch to ask which tasks ran that partition");
});
