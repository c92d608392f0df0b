/**
 * Issue 17's "done when", against the strict 4.x stand-in: 6 repositories in groups of 3 (BATCH_SIZE=3), one build
 * fails, the build exits 0 (and, in a second run, 1): the 5 good ones are published and ok, the failed one is named
 * with its outcome, the CLI refuses none of our calls, and no secret is ever in a call's argv. An s3:// store with
 * an endpoint configures without a refusal (moto).
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redactor } from "@mass-ingest/core";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { ingest, type IngestSettings } from "../src/index.js";
import { modRunner, rowsFor, tmp } from "./helpers.js";

let git: GitServer;
let nginx: Nginx;
let moto: Moto;
let standIn: ModStandIn;
let dataRoot: string;
const names = ["done/r0", "done/r1", "done/broken", "done/r3", "done/r4", "done/r5"];
const TENANT_TOKEN = "tenant-token-done-4711";

beforeAll(async () => {
  [git, nginx, moto] = await Promise.all([startGitServer(), startNginx(), startMoto()]);
  standIn = createModStandIn();
  dataRoot = await tmp("pipeline-done-");
  for (const name of names) await git.createRepo(name);
});
afterAll(async () => {
  standIn?.cleanup();
  await Promise.all([git?.stop(), nginx?.stop(), moto?.stop()]);
  await rm(dataRoot, { recursive: true, force: true });
});

const settings = async (dataDir: string, redactor: Redactor): Promise<IngestSettings> => ({
  ...modRunner(standIn.command, { ...process.env, ...standIn.env }, redactor),
  dataDir,
  repos: await rowsFor(names.map((n) => git.httpUrl(n))),
  batchSize: 3,
  tenant: { tenant: "https://tenant.example.invalid", token: TENANT_TOKEN },
  publish: { url: `${nginx.url}/done`, user: nginx.user, password: nginx.password },
  redactor,
});

/** Every call's argv, and the calls the CLI refused (picocli usage errors exit 2). */
async function argvs() {
  const calls = await standIn.calls();
  return { calls, refused: calls.filter((c) => c.exitCode === 2), text: calls.map((c) => c.argv.join(" ")).join("\n") };
}

describe("done when (issue 17)", () => {
  for (const partialExit of [0, 1] as const) {
    it(`BATCH_SIZE=3, one failed build, partial build exit ${partialExit}: 5 published and ok, the failed one named`, async () => {
      standIn.reset();
      standIn.setConfig({ buildMs: 5, failBuild: ["broken"], partialExit, recordEnv: ["MOD_LSTS_ARTIFACTS_MAVEN_0_URL"] });
      const redactor = new Redactor([nginx.password, TENANT_TOKEN]);
      const result = await ingest(await settings(path.join(dataRoot, `exit-${partialExit}`), redactor));
      const { totals, repos } = result.report;
      expect(totals).toMatchObject({ repos: 6, ok: 5, failed: 1 });
      expect(totals.ok === totals.repos).toBe(false); // the processor exits 1
      const broken = repos.find((r) => r.path === "done/broken")!;
      expect(broken).toMatchObject({ status: "failed", failedStep: "build" });
      expect(broken.reason).toContain("buildOutcome Failed");
      expect(result.summary).toContain("done/broken");
      for (const r of repos.filter((x) => x.path !== "done/broken")) {
        expect(r.status).toBe("ok");
        expect(r.trace?.outcomes).toMatchObject({ sync: "Succeeded", build: "Succeeded", publish: "Succeeded" });
        expect(r.trace?.cliVersion).toBeTruthy();
      }
      expect((await standIn.published()).map((p) => p.repo).sort()).toEqual(names.filter((n) => n !== "done/broken").sort());
      const { calls, refused, text } = await argvs();
      expect(refused.map((c) => c.argv.join(" "))).toEqual([]);
      expect(text).not.toContain("--no-download");
      for (const secret of [nginx.password, TENANT_TOKEN, Buffer.from(`${nginx.user}:${nginx.password}`).toString("base64")])
        expect(text).not.toContain(secret);
      // the store's credentials reach `mod publish` only, by environment
      const withStore = calls.filter((c) => c.env.MOD_LSTS_ARTIFACTS_MAVEN_0_URL !== undefined).map((c) => c.argv[0]);
      expect(new Set(withStore)).toEqual(new Set(["publish"]));
      // the tenant was configured by `login --with-token` with the token on stdin
      expect(calls.some((c) => c.argv.join(" ") === "config moderne login --with-token")).toBe(true);
    });
  }

  it("reads trace.csv by name (reversed and unknown columns), keeps its counts; without a trace the exit code decides", async () => {
    standIn.reset();
    standIn.setConfig({
      buildMs: 5,
      failBuild: ["broken"],
      partialExit: 0,
      traceColumnsReversed: true,
      traceExtraColumns: { buildFutureColumn: "x" },
      parseErrors: { r1: 3 },
    });
    const redactor = new Redactor([nginx.password, TENANT_TOKEN]);
    const three = (await settings(path.join(dataRoot, "by-name"), redactor)).repos.slice(0, 3);
    const byName = await ingest({ ...(await settings(path.join(dataRoot, "by-name"), redactor)), repos: three });
    const status = (r: { path?: string; status: string }) => [r.path, r.status];
    expect(byName.report.repos.map(status)).toEqual([
      ["done/r0", "ok"],
      ["done/r1", "ok"],
      ["done/broken", "failed"],
    ]);
    expect(byName.report.repos[1]!.trace?.parseErrors).toBe(3);
    // no trace.csv: the build's exit code (1: one build failed) is all there is, and it counts for the whole group
    standIn.reset();
    standIn.setConfig({ buildMs: 5, failBuild: ["broken"], partialExit: 1, noTrace: true });
    const noTrace = await ingest({ ...(await settings(path.join(dataRoot, "no-trace"), redactor)), repos: three });
    expect(noTrace.report.repos.map(status)).toEqual([
      ["done/r0", "failed"],
      ["done/r1", "failed"],
      ["done/broken", "failed"],
    ]);
    expect(noTrace.report.repos[0]!.reason).toContain("exited 1");
  });

  it("a CLI before 4.8 gets the maven store by `maven add`; an s3 store with endpoint and profile configures", async () => {
    standIn.reset();
    standIn.setConfig({ version: "4.6.3", buildMs: 5 });
    const redactor = new Redactor([nginx.password, TENANT_TOKEN]);
    const dataDir = path.join(dataRoot, "v46");
    const result = await ingest({ ...(await settings(dataDir, redactor)), repos: (await settings(dataDir, redactor)).repos.slice(0, 2) });
    expect(result.report.totals).toMatchObject({ repos: 2, ok: 2 });
    const { refused, text } = await argvs();
    expect(refused).toEqual([]);
    expect(text).toContain("config lsts artifacts maven add");
    standIn.reset();
    standIn.setConfig({ version: "4.6.3" });
    const error = await ingest({
      ...(await settings(path.join(dataRoot, "v46-s3"), redactor)),
      publish: { url: "s3://bucket/x", s3Endpoint: moto.endpoint, s3Profile: "p" },
      batchSize: 1,
      repos: [],
    })
      .then(() => undefined)
      .catch((e: unknown) => e);
    // --profile exists in 4.6: this configures; nothing is refused
    expect(error).toBeUndefined();
    expect((await argvs()).refused).toEqual([]);
  });

  it("an s3:// store with an endpoint configures without a refusal and publishes (moto)", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 5 });
    const s3 = new S3Client({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "done-lsts" }));
    Object.assign(process.env, moto.env);
    const dataDir = path.join(dataRoot, "s3");
    const result = await ingest({
      ...(await settings(dataDir, new Redactor([TENANT_TOKEN]))),
      repos: await rowsFor(names.slice(0, 2).map((n) => git.httpUrl(n))),
      publish: { url: "s3://done-lsts/lsts", s3Endpoint: moto.endpoint, s3Region: moto.region },
    });
    expect(result.report.store).toBe("s3");
    expect(result.report.totals).toMatchObject({ repos: 2, ok: 2 });
    const { refused, text } = await argvs();
    expect(refused).toEqual([]);
    expect(text).toContain(`config lsts artifacts s3 edit s3://done-lsts/lsts --endpoint-url ${moto.endpoint}`);
    expect((await standIn.cliConfig()).artifacts).toMatchObject({ type: "s3", endpoint: moto.endpoint });
  });
});
