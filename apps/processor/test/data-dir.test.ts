// A DATA_DIR that cannot be used is a configuration error (exit 2) that names DATA_DIR, with or without a state.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runProcessorChild } from "./helpers.js";

let dir: string;
let csv: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "processor-data-dir-"));
  csv = path.join(dir, "repos.csv");
  await writeFile(csv, "cloneUrl\nhttps://example.invalid/a/b.git\n");
  await writeFile(path.join(dir, "a-file"), "not a directory\n");
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it.each([[["--no-state"]], [[]]])("DATA_DIR under a file is exit 2 naming DATA_DIR (%j)", async (extra) => {
  const dataDir = path.join(dir, "a-file", "data");
  const r = await runProcessorChild([csv, ...extra], {
    ...process.env,
    DATA_DIR: dataDir,
    STATE_URL: undefined,
    AWS_BATCH_JOB_ID: undefined,
  });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(`DATA_DIR ${dataDir} cannot be used as the work directory (ENOTDIR)`);
  expect(r.stderr).not.toContain("--state");
});
