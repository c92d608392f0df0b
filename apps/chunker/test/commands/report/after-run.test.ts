import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "@mass-ingest/core";
import { openStateStore } from "@mass-ingest/state";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reportAfterRun } from "../../../src/commands/report/after-run.js";
import type { Io } from "../../../src/io.js";

let dir: string;
let state: string;
const lines: string[] = [];
const io: Io = {
  stdout: () => {},
  logger: createLogger({ name: "test", pretty: false, destination: { write: (line: string) => void lines.push(line) } }),
  signal: new AbortController().signal,
  env: {},
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "chunker-after-run-"));
  state = path.join(dir, "state");
  const rows = [{ row: 1, key: "https://git.example.com/acme/a", predictedMs: 1 }];
  await openStateStore(state).writeManifest({
    runId: "r1",
    csv: { location: "repos.csv", rowCount: 1, sha256: "a".repeat(64) },
    createdAt: "2026-11-30T01:00:00.000Z",
    timeBudgetMs: 1,
    predictedMakespanMs: 1,
    partitions: [{ partition: 1, predictedMs: 1, rows }],
  });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("writes the run's report into the state store and resolves to its path", async () => {
  const html = await reportAfterRun(state, "r1", io);
  expect(html).toBe(path.join(state, "runs", "r1", "report.html"));
  expect(await readFile(html!, "utf8")).toContain("mass-ingest run r1");
});

it("a report that cannot be written is a warning that says how to write it later, not an error", async () => {
  lines.length = 0;
  expect(await reportAfterRun(state, "r2", io)).toBeUndefined();
  const warning = lines.map((l) => JSON.parse(l) as { msg: string; level: number }).find((l) => l.msg.includes("could not be written"));
  expect(warning?.msg).toContain(`mass-ingest-chunker report r2 --state ${state}`);
});
