/**
 * Global setup of the infra test run: one temporary root for the whole run, handed to every test file (each
 * makes its own TMPDIR inside it, see tmpdir.ts). At the end the root must be empty: a `cdktf.outdir.*` folder
 * of cdktf's testing app, a file's TMPDIR or anything else left behind fails the run, with the list.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    infraTmpRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), "mass-ingest-infra-run-"));
  project.provide("infraTmpRoot", root);
  return () => {
    const left = readdirSync(root);
    rmSync(root, { recursive: true, force: true });
    if (left.length === 0) return;
    // vitest reports an error thrown here but keeps its exit code: set it too, so the run fails.
    process.exitCode = 1;
    throw new Error(`the infra tests left ${left.length} temporary folder(s) behind in ${root}: ${left.join(", ")}`);
  };
}
