/**
 * Retry by cause (issue 21): a repository whose publish fails with a transient cause (here a 503 from the artifact
 * repository) is published again in the same run and ends ok; a cause a retry cannot fix is not retried; the
 * retries stop at the cap.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { ingest, type IngestEvent } from "../src/index.js";
import { kind, modRunner, rowsFor, tmp } from "./helpers.js";

let git: GitServer;
let nginx: Nginx;
let standIn: ModStandIn;
let dataRoot: string;
const names = ["flaky/r0", "flaky/r1", "flaky/r2"];

beforeAll(async () => {
  [git, nginx] = await Promise.all([startGitServer(), startNginx()]);
  standIn = createModStandIn();
  dataRoot = await tmp("pipeline-retry-");
  for (const name of names) await git.createRepo(name);
});
afterAll(async () => {
  standIn?.cleanup();
  await Promise.all([git?.stop(), nginx?.stop()]);
  await rm(dataRoot, { recursive: true, force: true });
});

async function run(dir: string) {
  const events: IngestEvent[] = [];
  const result = await ingest(
    {
      ...modRunner(standIn.command, { ...process.env, ...standIn.env }),
      dataDir: path.join(dataRoot, dir),
      repos: await rowsFor(names.map((n) => git.httpUrl(n))),
      batchSize: 3,
      publish: { url: `${nginx.url}/flaky`, user: nginx.user, password: nginx.password },
      transientRetry: { attempts: 2, delaysMs: [20] },
    },
    (e) => events.push(e),
  );
  const publishes = (await standIn.calls()).filter((c) => kind(c) === "publish").length;
  return { result, events, publishes, published: (await standIn.published()).map((p) => p.repo) };
}

describe("transient publish failures", () => {
  it("a 503 on publish is retried after the delay and the repository ends ok in the same run", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 5, flakyPublish: { "flaky/r1": 1 } });
    const { result, events, publishes, published } = await run("once");
    expect(result.report.totals).toMatchObject({ repos: 3, ok: 3, failed: 0 });
    expect(publishes).toBe(2);
    expect(published.filter((r) => r === "flaky/r1")).toHaveLength(1);
    const retries = events.filter((e) => e.type === "retry");
    expect(retries).toEqual([expect.objectContaining({ step: "publish", attempt: 1, rows: [2], delayMs: 20, cause: "transient" })]);
  });

  it("stops at the cap: still failing after two retries, it is reported failed with its last reason", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 5, flakyPublish: { "flaky/r1": 10 } });
    const { result, events, publishes } = await run("cap");
    expect(result.report.totals).toMatchObject({ ok: 2, failed: 1 });
    expect(publishes).toBe(3);
    expect(events.filter((e) => e.type === "retry").map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2]);
    expect(result.report.repos.find((r) => r.path === "flaky/r1")).toMatchObject({ status: "failed", failedStep: "publish" });
  });

  it("a failure a retry cannot fix is not retried", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 5, failPublish: ["flaky/r1"] });
    const { result, events, publishes } = await run("permanent");
    expect(result.report.totals).toMatchObject({ ok: 2, failed: 1 });
    expect(publishes).toBe(1);
    expect(events.filter((e) => e.type === "retry")).toEqual([]);
  });
});
