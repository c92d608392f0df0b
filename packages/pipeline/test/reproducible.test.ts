/** The CLI's `reproducible` verdict (repos-lock.csv after `mod build`) is kept in each repository's trace. */
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { ingest } from "../src/index.js";
import { modRunner, rowsFor, tmp } from "./helpers.js";

let git: GitServer;
let standIn: ModStandIn;
let dataRoot: string;
const names = ["lock/pinned", "lock/dynamic", "lock/broken"];

beforeAll(async () => {
  git = await startGitServer();
  standIn = createModStandIn();
  dataRoot = await tmp("pipeline-lock-");
  for (const name of names) await git.createRepo(name);
});
afterAll(async () => {
  standIn?.cleanup();
  await git?.stop();
  await rm(dataRoot, { recursive: true, force: true });
});

it("records reproducible true/false per built repository, nothing for a failed build", async () => {
  standIn.reset();
  standIn.setConfig({ buildMs: 5, notReproducible: ["lock/dynamic"], failBuild: ["lock/broken"] });
  const result = await ingest({
    ...modRunner(standIn.command, { ...process.env, ...standIn.env }),
    dataDir: path.join(dataRoot, "d"),
    repos: await rowsFor(names.map((n) => git.httpUrl(n))),
    batchSize: 3,
  });
  const byPath = Object.fromEntries(result.report.repos.map((r) => [r.path, r.trace?.reproducible]));
  expect(byPath).toEqual({ "lock/pinned": true, "lock/dynamic": false, "lock/broken": undefined });
});
