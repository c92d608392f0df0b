import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, pidAlive, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startMoto, type Moto } from "@mass-ingest/testkit/moto";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { freePort } from "@mass-ingest/testkit/ports";
import { findReports, runProcessorChild, startProcessor } from "./helpers.js";

let git: GitServer;
let nginx: Nginx;
let moto: Moto;
let standIn: ModStandIn;
let dir: string;
let csv: string;
let secretArn: string;
const passwordInSecret = () => nginx.password;

/** A base environment: no inherited secrets or AWS settings, the stand-in as MOD_CLI. */
function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...standIn.env,
    MOD_CLI: standIn.command,
    ...moto.env,
    ...extra,
  };
}

beforeAll(async () => {
  [git, nginx, moto] = await Promise.all([startGitServer(), startNginx(), startMoto()]);
  standIn = createModStandIn();
  dir = await mkdtemp(path.join(os.tmpdir(), "processor-e2e-"));
  for (const name of ["team/one", "team/two", "team/three", "team/four"]) await git.createRepo(name);
  await git.createRepo("team/private", { private: true });
  csv = path.join(dir, "repos.csv");
  await writeFile(
    csv,
    [
      "cloneUrl,branch,org1",
      `${git.httpUrl("team/one")},main,Alpha`,
      `${git.httpUrl("team/private")},main,Alpha`,
      `${git.httpUrl("team/missing")},main,Beta`,
      `${git.httpUrl("team/two")},main,Beta`,
      `${git.httpUrl("team/three")},main,Beta`,
      `${git.httpUrl("team/four")},main,Beta`,
    ].join("\n") + "\n",
  );
  const sm = new SecretsManagerClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  const created = await sm.send(
    new CreateSecretCommand({ Name: "ingest/publish", SecretString: JSON.stringify({ password: passwordInSecret() }) }),
  );
  secretArn = created.ARN!;
  sm.destroy();
});
afterAll(async () => {
  standIn?.cleanup();
  await Promise.all([git?.stop(), nginx?.stop(), moto?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe("mass-ingest-processor", () => {
  it("ingests a range: private repo via GIT_CREDENTIALS, password from a Secrets Manager ARN, logs + report uploaded, exit 1 for the missing repo", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 30, recordEnv: ["MOD_LSTS_ARTIFACTS_MAVEN_0_AUTHORIZATION"] });
    const dataDir = path.join(dir, "data-range");
    const gitCredentials = `http://${git.credentials.user}:${git.credentials.password}@${new URL(git.httpUrl("x")).host}\n`;
    const result = await runProcessorChild(
      [csv, "--start", "1", "--end", "4", "--run-id", "nightly-1"],
      baseEnv({
        DATA_DIR: dataDir,
        PUBLISH_URL: `${nginx.url}/maven`,
        PUBLISH_USER: nginx.user,
        PUBLISH_PASSWORD: `${secretArn}:password::`,
        GIT_CREDENTIALS: gitCredentials,
        MODERNE_TENANT: "https://tenant.example.invalid",
        MODERNE_TOKEN: "moderne-token-31337",
        BUILD_TIMEOUT: "120",
      }),
    );
    expect(result.stderr).not.toContain('"level":50');
    expect(result.code).toBe(1);
    // the ARN was resolved before configuring the CLI (4.8+: the store reaches mod publish by its environment)
    const basic = `Basic ${Buffer.from(`${nginx.user}:${nginx.password}`).toString("base64")}`;
    const publishes = (await standIn.calls()).filter((c) => c.argv[0] === "publish" && !c.argv.includes("--help"));
    expect(publishes.length).toBeGreaterThan(0);
    for (const call of publishes) expect(call.env.MOD_LSTS_ARTIFACTS_MAVEN_0_AUTHORIZATION).toBe(basic);
    const [reportFile] = await findReports(dataDir, "1-4");
    expect(reportFile).toBeDefined();
    const reportText = await readFile(reportFile!, "utf8");
    const report = JSON.parse(reportText) as {
      runId: string;
      index: string;
      ts: string;
      totals: Record<string, number>;
      repos: Array<{ row: number; status: string; failedStep?: string }>;
    };
    expect(report.runId).toBe("nightly-1");
    expect(report.repos.map((r) => [r.row, r.status, r.failedStep])).toEqual([
      [1, "ok", undefined],
      [2, "ok", undefined],
      [3, "failed", "sync"],
      [4, "ok", undefined],
    ]);
    const ts = report.ts;
    expect(ts).toMatch(/^\d{12}$/);
    for (const key of [
      `io/moderne/ingest-log/1-4/${ts}/ingest-log-cli-${ts}-1-4.zip`,
      `io/moderne/ingest-sync-log/1-4/${ts}/ingest-sync-log-cli-${ts}-1-4.zip`,
      `io/moderne/ingest-log/1-4/${ts}/ingest-report-${ts}-1-4.json`,
    ])
      expect(existsSync(path.join(nginx.root, "maven", key))).toBe(true);
    expect((await standIn.published()).map((p) => p.repo).sort()).toEqual(["team/one", "team/private", "team/two"]);
    // human summary on stdout; secrets nowhere
    expect(result.stdout).toContain("4 repositories (1-4)");
    expect(result.stdout).toContain("3 ok, 1 failed");
    // CLI 4.8+: the tenant token goes by stdin, the store's password by mod publish's environment: neither in argv
    expect(result.stderr).toContain("config moderne login --with-token");
    expect(result.stderr).not.toContain("--token");
    expect(result.stderr).not.toContain("--password");
    for (const text of [result.stdout, result.stderr, reportText]) {
      expect(text).not.toContain(nginx.password);
      expect(text).not.toContain(git.credentials.password);
      expect(text).not.toContain("moderne-token-31337");
    }
    // the credential files do not outlive the run
    expect(existsSync(path.join(dataDir, ".auth"))).toBe(false);
  });

  it("exits 1 when the store refuses every log and report upload, naming the store's answer and the local copies", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10 });
    // A store that takes the LSTs (so every repository is ok) but answers every log/report PUT like a full disk.
    const refused: string[] = [];
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.method === "PUT" && req.url!.includes("/io/moderne/ingest-")) {
          refused.push(req.url!);
          res.writeHead(500, { "content-type": "text/plain" }).end("store says no: quota exceeded");
        } else res.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const dataDir = path.join(dir, "data-refused");
      const result = await runProcessorChild(
        [csv, "--start", "1", "--end", "1"],
        baseEnv({
          DATA_DIR: dataDir,
          PUBLISH_URL: `http://127.0.0.1:${port}/maven`,
          PUBLISH_USER: "deployer",
          PUBLISH_PASSWORD: "store-password-4242",
        }),
      );
      expect(result.stdout).toContain("1 ok, 0 failed");
      expect(result.code).toBe(1);
      expect(refused.length).toBeGreaterThanOrEqual(3);
      const [reportFile] = await findReports(dataDir, "1-1");
      const report = JSON.parse(await readFile(reportFile!, "utf8")) as {
        logs: Record<string, { local?: string; uploaded?: string; error?: string }>;
      };
      for (const what of ["syncLog", "buildLog", "report"]) {
        const location = report.logs[what]!;
        expect(location.uploaded).toBeUndefined();
        expect(location.error).toMatch(/answered 500: store says no: quota exceeded/);
        expect(existsSync(location.local!)).toBe(true);
        // the summary names the failed upload with the store's answer and the local copy
        expect(result.stdout).toContain(`${location.local} (upload FAILED:`);
      }
      expect(result.stdout).toContain("3 upload(s) FAILED");
      // the report's location is printed once
      expect((result.stdout + result.stderr).match(/Report: /g)).toHaveLength(1);
      expect(result.stdout + result.stderr).not.toContain("store-password-4242");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("publishes to s3:// with S3_ENDPOINT and uploads the logs to the bucket's .logs/ layout", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10 });
    const s3 = new S3Client({ region: moto.region, endpoint: moto.endpoint, forcePathStyle: true, credentials: moto.credentials });
    await s3.send(new CreateBucketCommand({ Bucket: "lsts" }));
    await s3.send(new PutObjectCommand({ Bucket: "lsts", Key: "input/repos.csv", Body: await readFile(csv) }));
    const dataDir = path.join(dir, "data-s3");
    // the csv itself comes from S3 too
    const result = await runProcessorChild(
      ["s3://lsts/input/repos.csv", "--start", "1", "--end", "1"],
      baseEnv({ DATA_DIR: dataDir, PUBLISH_URL: "s3://lsts/prod", S3_ENDPOINT: moto.endpoint, S3_REGION: moto.region }),
    );
    expect(result.code).toBe(0);
    // no warning a user must learn to ignore (the SDK's Node 20 notice, a retried stream body)
    expect(result.stderr).not.toContain("NodeVersionSupportWarning");
    expect(result.stderr + result.stdout).not.toContain("non-retryable streaming request");
    expect((await standIn.cliConfig()).artifacts).toEqual({
      type: "s3",
      url: "s3://lsts/prod",
      endpoint: moto.endpoint,
      region: moto.region,
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "lsts", Prefix: "prod/.logs/1-1/" }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!.replace(/\d{12}/g, "TS")).sort();
    expect(keys).toEqual([
      "prod/.logs/1-1/TS/ingest-log-cli-TS-1-1.zip",
      "prod/.logs/1-1/TS/ingest-report-TS-1-1.json",
      "prod/.logs/1-1/TS/ingest-sync-log-cli-TS-1-1.zip",
    ]);
    s3.destroy();
  });

  it("as an AWS Batch array child derives its range from the index; without PUBLISH_URL keeps everything local; runs mod monitor", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10 });
    const dataDir = path.join(dir, "data-array");
    const monitorPort = await freePort();
    const result = await runProcessorChild(
      [csv, "--partition-size", "2", "--row-count", "6", "--run-id", "r", "--start", "0", "--end", "0", "--partitions", "all"],
      baseEnv({
        DATA_DIR: dataDir,
        AWS_BATCH_JOB_ARRAY_INDEX: "2",
        MOD_MONITOR_PORT: String(monitorPort),
        MOD_JAVA_OPTIONS: "-Xmx4g -Xss3m",
      }),
    );
    expect(result.code).toBe(0);
    // MOD_JAVA_OPTIONS configured the CLI's JVM; the build concurrency was derived from the memory and said so
    expect((await standIn.cliConfig()).javaOptions).toBe("-Xmx4g -Xss3m");
    expect(result.stderr).toMatch(/build concurrency \d+: .* GiB \((cgroup memory\.max|total memory)\) \/ 8\.0 GiB per build/);
    // `mod monitor` ran for the duration of the run and was stopped at the end
    const monitor = (await standIn.calls()).find((c) => c.argv[0] === "monitor" && c.argv[1] === "--port");
    expect(monitor?.argv).toEqual(["monitor", "--port", String(monitorPort)]);
    expect(monitor?.signal).toBe("SIGTERM");
    const [reportFile] = await findReports(dataDir, "5-6");
    const report = JSON.parse(await readFile(reportFile!, "utf8")) as {
      published: boolean;
      repos: Array<{ row: number; status: string; logs: { workDir?: string } }>;
    };
    expect(report.repos.map((r) => [r.row, r.status])).toEqual([
      [5, "ok"],
      [6, "ok"],
    ]);
    expect(report.published).toBe(false);
    expect(existsSync(report.repos[0]!.logs.workDir!)).toBe(true);
    expect(result.stderr).toContain("No PUBLISH_URL");
    expect(result.stdout).toContain("Publishing not configured");
    expect((await standIn.calls()).some((c) => c.argv[0] === "publish" && !c.argv.includes("--help"))).toBe(false);
  });

  it("reports invalid rows as skipped and still ingests the valid ones (exit 1)", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10 });
    const mixed = path.join(dir, "mixed.csv");
    await writeFile(mixed, `cloneUrl,branch\n${git.httpUrl("team/one")},main\next::sh -c touch${"%20"}/tmp/pwned,main\n`);
    const dataDir = path.join(dir, "data-mixed");
    const result = await runProcessorChild([mixed], baseEnv({ DATA_DIR: dataDir }));
    expect(result.code).toBe(1);
    const [reportFile] = await findReports(dataDir, "all");
    const report = JSON.parse(await readFile(reportFile!, "utf8")) as { repos: Array<{ row: number; status: string; reason?: string }> };
    expect(report.repos.map((r) => [r.row, r.status])).toEqual([
      [1, "ok"],
      [2, "skipped"],
    ]);
    expect(report.repos[1]!.reason).toContain("invalid row");
    expect((await standIn.calls()).filter((c) => c.argv[0] === "git" && !c.argv.includes("--help"))).toHaveLength(1);
  });

  it("exits 2 when the csv changed since planning, or on bad arguments, before running anything", async () => {
    standIn.reset();
    const changed = await runProcessorChild(
      [csv, "--partition-size", "2", "--row-count", "9"],
      baseEnv({ DATA_DIR: path.join(dir, "d2"), AWS_BATCH_JOB_ARRAY_INDEX: "0" }),
    );
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain("CSV_CHANGED");
    const half = await runProcessorChild([csv, "--start", "3"], baseEnv({ DATA_DIR: path.join(dir, "d2") }));
    expect(half.code).toBe(2);
    const unknown = await runProcessorChild([csv, "--frobnicate"], baseEnv());
    expect(unknown.code).toBe(2);
    const missing = await runProcessorChild([path.join(dir, "nope.csv")], baseEnv({ DATA_DIR: path.join(dir, "d2") }));
    expect(missing.code).toBe(2);
    const noSecret = await runProcessorChild(
      [csv],
      baseEnv({ DATA_DIR: path.join(dir, "d2"), PUBLISH_PASSWORD: secretArn.replace("ingest/publish", "ingest/absent") }),
    );
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain("SECRET_NOT_FOUND");
    expect(await standIn.calls()).toHaveLength(0);
  });

  it("exits 2 with install instructions when no CLI is found and modw cannot be fetched", async () => {
    const port = await freePort();
    const env = baseEnv({
      DATA_DIR: path.join(dir, "d3"),
      PATH: "/usr/bin:/bin",
      MOD_MAVEN_REPOSITORY: `http://127.0.0.1:${port}/maven2`,
      MODW_CACHE_DIR: path.join(dir, "modw"),
    });
    delete env.MOD_CLI;
    const result = await runProcessorChild([csv, "--start", "1", "--end", "1"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("MOD_CLI_UNAVAILABLE");
    expect(result.stderr).toContain("Install the Moderne CLI");
  });

  it("on SIGTERM stops the running build (no orphans), writes the report and exits 143", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10, hangBuild: ["team/"] });
    const dataDir = path.join(dir, "data-sigterm");
    const run = startProcessor(
      [csv, "--start", "4", "--end", "6"],
      baseEnv({ DATA_DIR: dataDir, PUBLISH_URL: `${nginx.url}/sig`, PUBLISH_USER: nginx.user, PUBLISH_PASSWORD: nginx.password }),
    );
    for (let i = 0; i < 600 && !(await standIn.calls()).some((c) => c.hung); i++) await new Promise((r) => setTimeout(r, 50));
    run.child.kill("SIGTERM");
    const result = await run.done;
    expect(result.code).toBe(143);
    const [reportFile] = await findReports(dataDir, "4-6");
    const report = JSON.parse(await readFile(reportFile!, "utf8")) as { interrupted: string; ts: string; repos: Array<{ status: string }> };
    expect(report.interrupted).toBe("SIGTERM");
    // interrupted during or between steps: skipped; never started: not-started
    const repos = report.repos as Array<{ status: string; steps: unknown[] }>;
    for (const r of repos) expect(r.status).toBe(r.steps.length > 0 ? "skipped" : "not-started");
    for (const call of (await standIn.calls()).filter((c) => c.hung)) {
      expect(pidAlive(call.grandchildPid!)).toBe(false);
      expect(pidAlive(call.pid)).toBe(false);
    }
    // what finished was still uploaded: the sync log zip and the report
    expect(existsSync(path.join(nginx.root, "sig", `io/moderne/ingest-log/4-6/${report.ts}/ingest-report-${report.ts}-4-6.json`))).toBe(
      true,
    );
    expect(result.stdout + result.stderr).not.toContain(nginx.password);
  });

  it("honours the first SIGTERM within STOP_GRACE even when the wind-down hangs: kills the CLI and exits 143", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10, hangBuild: ["team/"] });
    const run = startProcessor([csv, "--start", "5", "--end", "5"], baseEnv({ DATA_DIR: path.join(dir, "data-grace"), STOP_GRACE: "0" }));
    for (let i = 0; i < 600 && !(await standIn.calls()).some((c) => c.hung); i++) await new Promise((r) => setTimeout(r, 50));
    run.child.kill("SIGTERM");
    const result = await run.done;
    expect(result.code).toBe(143);
    expect(result.stderr).toContain("still winding down 0 s after SIGTERM (STOP_GRACE): killing the Moderne CLI and exiting");
    const hung = (await standIn.calls()).find((c) => c.hung)!;
    for (let i = 0; i < 100 && pidAlive(hung.grandchildPid!); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pidAlive(hung.grandchildPid!)).toBe(false);
  });

  it("on SIGINT does the same and exits 130", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10, hangBuild: ["team/"] });
    const dataDir = path.join(dir, "data-sigint");
    const run = startProcessor([csv, "--start", "5", "--end", "5"], baseEnv({ DATA_DIR: dataDir }));
    for (let i = 0; i < 600 && !(await standIn.calls()).some((c) => c.hung); i++) await new Promise((r) => setTimeout(r, 50));
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(130);
    const [reportFile] = await findReports(dataDir, "5-5");
    expect((JSON.parse(await readFile(reportFile!, "utf8")) as { interrupted: string }).interrupted).toBe("SIGINT");
    const hung = (await standIn.calls()).find((c) => c.hung)!;
    expect(pidAlive(hung.grandchildPid!)).toBe(false);
  });
});
