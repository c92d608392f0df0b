/**
 * Every test file gets its own temporary folder as TMPDIR, inside the run's root (no-leftovers.ts): cdktf's
 * `Testing.app()` makes a `cdktf.outdir.*` folder per app there, and so do the child processes. The folder is
 * removed with everything in it after the file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, inject } from "vitest";

const outer = process.env.TMPDIR;
const dir = mkdtempSync(join(inject("infraTmpRoot"), "file-"));
process.env.TMPDIR = dir;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (outer === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outer;
});
