import path from "node:path";
import { describe, expect, it } from "vitest";
import { PipelineError } from "@mass-ingest/pipeline";
import { childEnv, findWorkspaceRoot, readSettings } from "../src/settings.js";
import { appDir, parseArgs } from "./helpers.js";

const root = path.resolve(appDir, "..", "..");

async function settingsFor(argv: string[], env: Record<string, string | undefined>) {
  const { csv, flags } = await parseArgs(argv);
  return readSettings(csv, flags, env, appDir);
}

describe("processor settings", () => {
  it("defaults to the workspace's repos.csv and .data, BUILD_TIMEOUT 2700 s, BATCH_SIZE 1", async () => {
    expect(findWorkspaceRoot(appDir)).toBe(root);
    const settings = await settingsFor([], {});
    expect(settings.rows.csv).toBe(path.join(root, "repos.csv"));
    expect(settings.ingest.dataDir).toBe(path.join(root, ".data"));
    expect(settings.ingest.buildTimeoutMs).toBe(2_700_000);
    expect(settings.ingest.batchSize).toBe(1);
    expect(settings.ingest.insecure).toBe(false);
    expect(settings.ingest.publish?.url).toBeUndefined();
    expect(settings.ingest.concurrency).toEqual({});
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
    const flags = await settingsFor(["x.csv", "--timeout", "30", "--data-dir", "/tmp/d", "--publish-url", "s3://b/p", "--batch-size", "2", "--build-concurrency", "1"], env);
    expect(flags.ingest).toMatchObject({ buildTimeoutMs: 30_000, dataDir: "/tmp/d", publish: { url: "s3://b/p" }, batchSize: 2, concurrency: { build: 1 } });
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
    const env = childEnv({ PATH: "/bin", PUBLISH_PASSWORD: "a", PUBLISH_TOKEN: "b", MODERNE_TOKEN: "c", GIT_CREDENTIALS: "d", GIT_SSH_CREDENTIALS: "e", GIT_CONFIG_COUNT: "1" });
    expect(env).toEqual({ PATH: "/bin", GIT_CONFIG_COUNT: "1" });
  });
});
