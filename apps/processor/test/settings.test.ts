import path from "node:path";
import { describe, expect, it } from "vitest";
import { PipelineError } from "@mass-ingest/pipeline";
import { deriveBuildConcurrency, hostMemory, maxHeapBytes } from "../src/build-concurrency.js";
import { childEnv, findWorkspaceRoot, readSettings, runDeadline } from "../src/settings.js";
import { appDir, parseArgs } from "./helpers.js";

const root = path.resolve(appDir, "..", "..");

const GIB = 1024 ** 3;
const container = (gib: number) => () => ({ bytes: gib * GIB, source: "cgroup memory.max" as const });

async function settingsFor(argv: string[], env: Record<string, string | undefined>, memory = container(15)) {
  const { csv, flags } = await parseArgs(argv);
  return readSettings(csv, flags, env, appDir, memory);
}

describe("processor settings", () => {
  it("SYNC_TIMEOUT and PUBLISH_TIMEOUT (seconds) become the pipeline's step timeouts; unset: the pipeline's 1800 s", async () => {
    expect((await settingsFor([], {})).ingest.stepTimeoutsMs).toEqual({});
    expect((await settingsFor([], { SYNC_TIMEOUT: "120", PUBLISH_TIMEOUT: "600" })).ingest.stepTimeoutsMs).toEqual({
      sync: 120_000,
      publish: 600_000,
    });
    await expect(settingsFor([], { SYNC_TIMEOUT: "soon" })).rejects.toThrow(/SYNC_TIMEOUT="soon" is not a whole number/);
  });

  it("the run's deadline: RUN_DEADLINE (ISO or epoch seconds), else the job's start plus JOB_TIMEOUT, else none", async () => {
    const start = Date.parse("2026-12-03T04:00:00Z");
    expect(runDeadline({}, start)).toBeUndefined();
    expect(runDeadline({ JOB_TIMEOUT: "3600" }, start)?.toISOString()).toBe("2026-12-03T05:00:00.000Z");
    expect(runDeadline({ JOB_TIMEOUT: "3600", RUN_DEADLINE: "2026-12-03T04:30:00Z" }, start)?.toISOString()).toBe(
      "2026-12-03T04:30:00.000Z",
    );
    expect(runDeadline({ RUN_DEADLINE: String(start / 1000 + 60) }, start)?.toISOString()).toBe("2026-12-03T04:01:00.000Z");
    expect(() => runDeadline({ RUN_DEADLINE: "tomorrow" }, start)).toThrow(PipelineError);
    const settings = await settingsFor([], { JOB_TIMEOUT: "3600" });
    expect(settings.ingest.deadline!.getTime()).toBeGreaterThan(Date.now());
    expect(settings.ingest.deadline!.getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it("--plan (none = unset) and the state store: --state, STATE_URL, default <DATA_DIR>/state, --no-state", async () => {
    expect((await settingsFor([], {})).plan).toBeUndefined();
    expect((await settingsFor(["--plan", "none"], {})).plan).toBeUndefined();
    expect((await settingsFor(["--plan", "s3://b/state/runs/r1/manifest.json"], {})).plan).toBe("s3://b/state/runs/r1/manifest.json");
    expect((await settingsFor([], {})).state).toBe(path.join(root, ".data", "state"));
    expect((await settingsFor([], { DATA_DIR: "/work/d" })).state).toBe(path.join("/work/d", "state"));
    expect((await settingsFor([], { STATE_URL: "s3://bucket/nightly" })).state).toBe("s3://bucket/nightly");
    expect((await settingsFor(["--state", "/x/state"], { STATE_URL: "s3://bucket/nightly" })).state).toBe("/x/state");
    expect((await settingsFor(["--no-state"], { STATE_URL: "s3://bucket/nightly" })).state).toBeUndefined();
  });

  it("defaults to the workspace's repos.csv and .data, BUILD_TIMEOUT 2700 s, BATCH_SIZE 1", async () => {
    expect(findWorkspaceRoot(appDir)).toBe(root);
    const settings = await settingsFor([], {});
    expect(settings.rows.csv).toBe(path.join(root, "repos.csv"));
    expect(settings.ingest.dataDir).toBe(path.join(root, ".data"));
    expect(settings.ingest.buildTimeoutMs).toBe(2_700_000);
    expect(settings.ingest.batchSize).toBe(1);
    expect(settings.ingest.insecure).toBe(false);
    expect(settings.ingest.publish?.url).toBeUndefined();
    // BUILD_CONCURRENCY from the container's memory: one build per 8 GiB
    expect(settings.ingest.concurrency).toEqual({ build: 1 });
    expect(settings.derivedBuildConcurrency?.reason).toBe("15.0 GiB (cgroup memory.max) / 8.0 GiB per build (8 GiB) = 1");
  });

  it("derives the default build concurrency from the container's memory and the CLI's -Xmx; BUILD_CONCURRENCY wins", async () => {
    expect((await settingsFor([], {}, container(32))).ingest.concurrency?.build).toBe(4);
    expect((await settingsFor([], {}, container(4))).ingest.concurrency?.build).toBe(1);
    const big = await settingsFor([], { MOD_JAVA_OPTIONS: "-Xss3m -Xmx6g" }, container(32));
    expect(big.ingest.javaOptions).toBe("-Xss3m -Xmx6g");
    expect(big.ingest.concurrency?.build).toBe(2);
    expect(big.derivedBuildConcurrency?.reason).toContain("12.0 GiB per build (2 x -Xmx 6.0 GiB)");
    const given = await settingsFor([], { BUILD_CONCURRENCY: "3" }, container(4));
    expect(given.ingest.concurrency?.build).toBe(3);
    expect(given.derivedBuildConcurrency).toBeUndefined();
    expect(maxHeapBytes("-Xmx4096m")).toBe(4 * GIB);
    expect(maxHeapBytes("-Xms1g")).toBeUndefined();
    expect(deriveBuildConcurrency({ bytes: 7 * GIB, source: "total memory" }, undefined).build).toBe(1);
  });

  it("reads the container's limit from cgroup v2 memory.max, else the machine's memory", () => {
    const total = 64 * GIB;
    expect(hostMemory(() => `${16 * GIB}\n`, total)).toEqual({ bytes: 16 * GIB, source: "cgroup memory.max" });
    expect(hostMemory(() => "max\n", total)).toEqual({ bytes: total, source: "total memory" });
    expect(
      hostMemory(() => {
        throw new Error("ENOENT");
      }, total),
    ).toEqual({ bytes: total, source: "total memory" });
  });

  it("reads the docs/moderne-cli.md environment names; flags win", async () => {
    const env = {
      DATA_DIR: "/var/moderne",
      BUILD_TIMEOUT: "60",
      BATCH_SIZE: "5",
      PUBLISH_URL: "https://repo.example.invalid/maven",
      PUBLISH_USER: "deployer",
      PUBLISH_PASSWORD: "pw-123456",
      PUBLISH_TOKEN: "tok-123456",
      MODERNE_TENANT: "https://app.moderne.io",
      MODERNE_TOKEN: "mt-123456",
      GIT_SSH_CREDENTIALS: "key-123456",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_PROFILE: "p",
      S3_REGION: "eu-west-1",
      BUILD_CONCURRENCY: "3",
    };
    const fromEnv = await settingsFor(["x.csv"], env);
    expect(fromEnv.rows.csv).toBe("x.csv");
    expect(fromEnv.ingest).toMatchObject({
      dataDir: "/var/moderne",
      buildTimeoutMs: 60_000,
      batchSize: 5,
      publish: {
        url: "https://repo.example.invalid/maven",
        user: "deployer",
        password: "pw-123456",
        token: "tok-123456",
        s3Endpoint: "http://127.0.0.1:9000",
        s3Profile: "p",
        s3Region: "eu-west-1",
      },
      tenant: { tenant: "https://app.moderne.io", token: "mt-123456" },
      sshKey: "key-123456",
      concurrency: { build: 3 },
    });
    const flags = await settingsFor(
      ["x.csv", "--timeout", "30", "--data-dir", "/tmp/d", "--publish-url", "s3://b/p", "--batch-size", "2", "--build-concurrency", "1"],
      env,
    );
    expect(flags.ingest).toMatchObject({
      buildTimeoutMs: 30_000,
      dataDir: "/tmp/d",
      publish: { url: "s3://b/p" },
      batchSize: 2,
      concurrency: { build: 1 },
    });
  });

  it("rejects malformed numbers with a CONFIG_INVALID error naming the variable (exit 2)", async () => {
    const { csv, flags } = await parseArgs([]);
    const read = () => readSettings(csv, flags, { BUILD_TIMEOUT: "soon" }, appDir);
    expect(read).toThrow(PipelineError);
    expect(read).toThrow(expect.objectContaining({ code: "CONFIG_INVALID", exitCode: 2, hint: expect.stringContaining("BUILD_TIMEOUT") }));
    expect(read).toThrow(/BUILD_TIMEOUT="soon"/);
    expect(() => readSettings(csv, flags, { PUBLISH_CA_FILE: "/nonexistent/ca.pem" }, appDir)).toThrow(/PUBLISH_CA_FILE/);
  });

  it("never passes the secret variables on to the CLI", () => {
    const env = childEnv({
      PATH: "/bin",
      PUBLISH_PASSWORD: "a",
      PUBLISH_TOKEN: "b",
      MODERNE_TOKEN: "c",
      GIT_CREDENTIALS: "d",
      GIT_SSH_CREDENTIALS: "e",
      GIT_CONFIG_COUNT: "1",
    });
    expect(env).toEqual({ PATH: "/bin", GIT_CONFIG_COUNT: "1" });
  });
});
