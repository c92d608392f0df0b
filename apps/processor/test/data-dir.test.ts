// Settings that cannot work are configuration errors (exit 2) that name the setting: DATA_DIR, PUBLISH_URL.
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

it("PUBLISH_URL with an unsupported scheme is named first, before its credentials", async () => {
  const r = await runProcessorChild([csv, "--no-state"], {
    ...process.env,
    DATA_DIR: path.join(dir, "data"),
    PUBLISH_URL: "ftp://user@files.example.invalid/lsts",
    PUBLISH_USER: "user",
    PUBLISH_PASSWORD: undefined,
    PUBLISH_TOKEN: undefined,
    STATE_URL: undefined,
    AWS_BATCH_JOB_ID: undefined,
  });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain("LOG_STORE_URL_INVALID");
  expect(r.stderr).toContain("PUBLISH_URL ftp://files.example.invalid/lsts is not s3://, http(s):// or file://");
  expect(r.stderr).not.toMatch(/password|credential/i);
});
