/**
 * Issue 17's "done when" through the real processor: the strict 4.x stand-in, BATCH_SIZE=3 over 6 repositories,
 * one build fails while the build exits 0 (then 1): the processor exits 1, the 5 good ones are published and ok,
 * the failed one is named with its outcome, and the CLI refuses none of the calls.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { findReports, runProcessorChild } from "./helpers.js";

let git: GitServer;
let nginx: Nginx;
let standIn: ModStandIn;
let dir: string;
let csv: string;
const names = ["six/a", "six/b", "six/broken", "six/d", "six/e", "six/f"];

beforeAll(async () => {
  [git, nginx] = await Promise.all([startGitServer(), startNginx()]);
  standIn = createModStandIn();
  dir = await mkdtemp(path.join(os.tmpdir(), "processor-done-"));
  for (const name of names) await git.createRepo(name);
  csv = path.join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", ...names.map((n) => `${git.httpUrl(n)},main`)].join("\n") + "\n");
});
afterAll(async () => {
  standIn?.cleanup();
  await Promise.all([git?.stop(), nginx?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe("processor, issue 17 done when", () => {
  for (const partialExit of [0, 1] as const) {
    it(`exits 1 with 5 published and ok and the failed build named (partial build exit ${partialExit})`, async () => {
      standIn.reset();
      standIn.setConfig({ buildMs: 5, failBuild: ["broken"], partialExit });
      const dataDir = path.join(dir, `data-${partialExit}`);
      const result = await runProcessorChild([csv, "--no-state"], {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...standIn.env,
        MOD_CLI: standIn.command,
        DATA_DIR: dataDir,
        BATCH_SIZE: "3",
        PUBLISH_URL: `${nginx.url}/six`,
        PUBLISH_USER: nginx.user,
        PUBLISH_PASSWORD: nginx.password,
      });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toContain("5 ok, 1 failed");
      expect(result.stdout).toContain("six/broken");
      expect(result.stdout).toContain("buildOutcome Failed");
      expect((await standIn.published()).map((p) => p.repo).sort()).toEqual(names.filter((n) => n !== "six/broken").sort());
      const calls = await standIn.calls();
      expect(calls.filter((c) => c.exitCode === 2).map((c) => c.argv.join(" "))).toEqual([]);
      expect(calls.map((c) => c.argv.join(" ")).join("\n")).not.toContain(nginx.password);
      const [reportFile] = await findReports(dataDir, "all");
      const report = JSON.parse(await readFile(reportFile!, "utf8")) as {
        repos: Array<{ path: string; status: string; failedStep?: string }>;
      };
      expect(report.repos.filter((r) => r.status !== "ok")).toEqual([
        expect.objectContaining({ path: "six/broken", status: "failed", failedStep: "build" }),
      ]);
    });
  }
});
