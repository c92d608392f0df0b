import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, test } from "vitest";
import { serializeManifest, serializeResult, serializeState } from "../../src/parse.js";
import { result, resultEntry, state } from "../helpers.js";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.resolve(here, "../../../../node_modules/.bin/tsx");
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const RECORDS = 5_000;
const PER_RECORD = 4;
const OPEN_FILES = 256;

/** A local store with one pending run of RECORDS result records (PER_RECORD repositories each), written directly. */
async function synthesize(root: string): Promise<void> {
  const results = path.join(root, "runs", "night-1", "results");
  await mkdir(results, { recursive: true });
  const partitions = [];
  for (let p = 1; p <= RECORDS; p++) {
    const repos = Array.from({ length: PER_RECORD }, (_, i) => resultEntry(`host/org/repo-${p}-${i}`, (p - 1) * PER_RECORD + i + 1));
    partitions.push({ partition: p, predictedMs: 1, rows: repos.map((r) => ({ row: r.row, key: r.key, predictedMs: 1 })) });
    await writeFile(path.join(results, `p${p}.json`), serializeResult(result("night-1", p, repos)));
  }
  const csv = { location: "repos.csv", rowCount: RECORDS * PER_RECORD, sha256: "0".repeat(64) };
  const manifest = { runId: "night-1", csv, createdAt: "2026-11-30T00:00:00.000Z", timeBudgetMs: 1, predictedMakespanMs: 1, partitions };
  await writeFile(path.join(root, "runs", "night-1", "manifest.json"), serializeManifest(manifest));
  await writeFile(path.join(root, "state.json"), serializeState({ ...state(), pendingRuns: ["night-1"] }));
}

test(`the fold reads ${RECORDS} result records under an open-files limit of ${OPEN_FILES} (no EMFILE)`, { timeout: 120_000 }, async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), "state-many-"));
  dirs.push(root);
  await synthesize(root);
  const script = path.join(here, "../fixtures/fold-many.ts");
  const { stdout } = await run("bash", ["-c", `ulimit -n ${OPEN_FILES} && exec "$0" "$@"`, tsx, script, root, "night-1"], {
    maxBuffer: 1 << 20,
  });
  expect(JSON.parse(stdout)).toEqual({ repos: RECORDS * PER_RECORD, pending: [], listed: RECORDS });
});
