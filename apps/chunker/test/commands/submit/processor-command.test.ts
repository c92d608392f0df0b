// The local executor's processor: the workspace's own by default, and checked before anything is recorded.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { localProcessorCommand, workspaceProcessor } from "../../../src/commands/submit/processor-command.js";
import { chunker } from "../../state/helpers.js";

const ownMain = fileURLToPath(new URL("../../../../processor/dist/main.js", import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "chunker-processor-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("defaults to the workspace's own built processor, run with this Node; --processor wins", () => {
  expect(existsSync(ownMain), "build the processor first (nx run processor:build)").toBe(true);
  expect(workspaceProcessor()).toBe(ownMain);
  expect(localProcessorCommand(undefined, { PATH: "" })).toEqual([process.execPath, ownMain]);
  expect(localProcessorCommand([process.execPath, "x.js"], { PATH: "" })).toEqual([process.execPath, "x.js"]);
});

it("outside a workspace, mass-ingest-processor must be on PATH: else PROCESSOR_NOT_FOUND, exit 2", () => {
  expect(() => localProcessorCommand(undefined, { PATH: dir }, null)).toThrow(
    expect.objectContaining({ code: "PROCESSOR_NOT_FOUND", exitCode: 2 }),
  );
});

it("a processor that cannot start stops submit before a run is planned or recorded", async () => {
  const csv = join(dir, "repos.csv");
  await writeFile(csv, "cloneUrl\nfile:///nowhere/a.git\nfile:///nowhere/b.git\n");
  const dataDir = join(dir, "data");
  const r = await chunker(["submit", csv, "--executor", "local", "--processor", join(dir, "no-such-processor"), "--run-id", "r1"], {
    DATA_DIR: dataDir,
  });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain("PROCESSOR_NOT_FOUND");
  expect(r.stderr).toContain("Nothing was recorded");
  expect(existsSync(join(dataDir, "state")) ? await readdir(join(dataDir, "state")) : []).toEqual([]);
});
