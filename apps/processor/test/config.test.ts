import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../src/args.js";
import { PipelineError } from "@mass-ingest/pipeline";
import { childEnv, findWorkspaceRoot, loadConfig } from "../src/config.js";
import { appDir } from "./helpers.js";

const root = path.resolve(appDir, "..", "..");

describe("processor configuration", () => {
  it("defaults to the workspace's repos.csv and .data, BUILD_TIMEOUT 2700 s, BATCH_SIZE 1", () => {
    expect(findWorkspaceRoot(appDir)).toBe(root);
    const config = loadConfig(parseArgs([]), {}, appDir);
    expect(config.csv).toBe(path.join(root, "repos.csv"));
    expect(config.dataDir).toBe(path.join(root, ".data"));
    expect(config.buildTimeoutMs).toBe(2_700_000);
    expect(config.batchSize).toBe(1);
    expect(config.insecure).toBe(false);
    expect(config.publishUrl).toBeUndefined();
  });

  it("reads the MODERNE_CLI.md environment names; flags win", () => {
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
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_PROFILE: "p",
      S3_REGION: "eu-west-1",
      BUILD_CONCURRENCY: "3",
    };
    const fromEnv = loadConfig(parseArgs(["x.csv"]), env, appDir);
    expect(fromEnv).toMatchObject({
      csv: "x.csv",
      dataDir: "/var/moderne",
      buildTimeoutMs: 60_000,
      batchSize: 5,
      publishUrl: "https://repo.example.invalid/maven",
      publishUser: "deployer",
      publishPassword: "pw-123456",
      publishToken: "tok-123456",
      tenant: "https://app.moderne.io",
      tenantToken: "mt-123456",
      s3Endpoint: "http://127.0.0.1:9000",
      s3Profile: "p",
      s3Region: "eu-west-1",
      concurrency: { build: 3 },
    });
    const flags = loadConfig(parseArgs(["x.csv", "--timeout", "30", "--data-dir", "/tmp/d", "--publish-url", "s3://b/p", "--batch-size", "2", "--build-concurrency", "1"]), env, appDir);
    expect(flags).toMatchObject({ buildTimeoutMs: 30_000, dataDir: "/tmp/d", publishUrl: "s3://b/p", batchSize: 2, concurrency: { build: 1 } });
  });

  it("rejects malformed numbers with a CONFIG_INVALID error naming the variable", () => {
    expect(() => loadConfig(parseArgs([]), { BUILD_TIMEOUT: "soon" }, appDir)).toThrow(PipelineError);
    expect(() => loadConfig(parseArgs([]), { BUILD_TIMEOUT: "soon" }, appDir)).toThrow(expect.objectContaining({ code: "CONFIG_INVALID", hint: expect.stringContaining("BUILD_TIMEOUT") }));
    expect(() => loadConfig(parseArgs([]), { BUILD_TIMEOUT: "soon" }, appDir)).toThrow(/BUILD_TIMEOUT/);
  });

  it("never passes the secret variables on to the CLI", () => {
    const env = childEnv({ PATH: "/bin", PUBLISH_PASSWORD: "a", PUBLISH_TOKEN: "b", MODERNE_TOKEN: "c", GIT_CREDENTIALS: "d", GIT_SSH_CREDENTIALS: "e", GIT_CONFIG_COUNT: "1" });
    expect(env).toEqual({ PATH: "/bin", GIT_CONFIG_COUNT: "1" });
  });
});
