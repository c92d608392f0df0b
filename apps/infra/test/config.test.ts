import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, parseConfigFile, parseDeploymentConfig } from "../src/config/load.js";
import { MANAGED_PROCESSOR_ENV_NAMES, PROCESSOR_ENV } from "@mass-ingest/contract";
import { fargateSizeProblem } from "../src/config/rules.js";
import { processorEnvironment, processorSecrets } from "../src/constructs/job-definitions.js";
import { InfraError } from "../src/errors.js";
import { FARGATE, FULL } from "./fixtures.js";
import { minimalConfig, secret } from "./helpers.js";

/** The InfraError `fn` throws (fails the test if it does not throw one). */
function errorOf(fn: () => unknown): InfraError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InfraError) return error;
    throw error;
  }
  throw new Error("expected an InfraError");
}

const issuesOf = (input: unknown): string[] => [...errorOf(() => parseDeploymentConfig(input, "cfg")).issues];

describe("deployment config defaults", () => {
  const config = parseDeploymentConfig(minimalConfig());

  it("fills every documented default", () => {
    expect(config.image.tag).toBe("latest");
    expect(config.ecr).toEqual({ create: false, imageTagMutability: "MUTABLE", scanOnPush: true, keepImages: 30 });
    expect(config.csv).toBe("/app/repos.csv");
    expect(config.partitionSize).toBe(50);
    expect(config.compute).toEqual({
      type: "EC2",
      instanceTypes: ["m6a.xlarge"],
      minVcpus: 0,
      maxVcpus: 256,
      bidPercentage: 100,
      rootVolumeGiB: 64,
      assignPublicIp: false,
      createServiceLinkedRole: false,
      imageType: "ECS_AL2023",
    });
    expect(config.processor).toEqual({
      vcpus: 4,
      memoryMiB: 15360,
      timeoutSeconds: 3600,
      buildTimeoutSeconds: 2700,
      retryAttempts: 3,
      isolateBuilds: false,
      environment: {},
    });
    expect(config.chunker).toEqual({ vcpus: 1, memoryMiB: 2048, timeoutSeconds: 1800, retryAttempts: 2 });
    expect(config.schedule).toEqual({ enabled: true, expression: "cron(0 0 * * ? *)", timezone: "UTC" });
    expect(config.logs.retentionDays).toBe(7);
    expect(config.alerts).toEqual({ enabled: false });
    expect(config.network).toEqual({ egress: { vpcEndpoints: { s3RouteTableIds: [], ecr: false, secretsManager: false, services: [] } } });
    expect(config.secretsKmsKeyArns).toEqual([]);
    expect(config.iam).toEqual({ managedInstancePolicy: false });
    expect(config.tags).toEqual({});
    expect(config.stateBackend).toBeUndefined();
  });

  it("keeps what the user set", () => {
    const custom = parseDeploymentConfig(
      minimalConfig({
        compute: { type: "SPOT", maxVcpus: 64 },
        processor: { memoryMiB: 30720, batchSize: 5 },
        logs: { retentionDays: 30 },
      }),
    );
    expect(custom.compute.type).toBe("SPOT");
    expect(custom.compute.maxVcpus).toBe(64);
    expect(custom.compute.instanceTypes).toEqual(["m6a.xlarge"]);
    expect(custom.processor.memoryMiB).toBe(30720);
    expect(custom.processor.vcpus).toBe(4);
    expect(custom.processor.batchSize).toBe(5);
    expect(custom.logs.retentionDays).toBe(30);
  });
});

describe("deployment config errors name each field", () => {
  it("lists every missing required field with what to set", () => {
    const error = errorOf(() => parseDeploymentConfig({}, "environments.prod", "config.json"));
    expect(error.code).toBe("INFRA_CONFIG_INVALID");
    expect(error.issues).toEqual([
      expect.stringMatching(/^environments\.prod\.name: is missing: set it to lowercase letters/),
      expect.stringMatching(/^environments\.prod\.region: is missing: set it to an AWS region/),
      expect.stringMatching(/^environments\.prod\.vpcId: is missing: set it to a VPC id/),
      expect.stringMatching(/^environments\.prod\.subnetIds: is missing: set it to the private subnets/),
      expect.stringMatching(/^environments\.prod\.publish: is missing: add \{ "url"/),
    ]);
    expect(error.message).toContain("config.json (5 problems)");
    for (const issue of error.issues) expect(error.message).toContain(issue);
    expect(error.hint).toContain("config.json");
    expect(error.hint).toContain("nothing was synthesized");
  });

  it("names malformed fields with the expected shape", () => {
    const issues = issuesOf(
      minimalConfig({
        name: "Bad_Name",
        region: "useast1",
        vpcId: "vpc-xyz",
        subnetIds: ["subnet-0123456789abcdef0", "sn-1"],
        csv: "repos.csv",
        partitionSize: 0,
        moderne: { tokenSecretArn: "arn:aws:s3:::not-a-secret" },
        schedule: { expression: "every night" },
        logs: { retentionDays: 8 },
        compute: { type: "LAMBDA", maxVcpus: 1.5 },
        network: { metricsPort: 8080, metricsCidr: "10.0.0.0/33" },
        alerts: { enabled: true, email: "not-an-email" },
      }),
    );
    const byPath = Object.fromEntries(issues.map((i) => [i.slice(0, i.indexOf(":")), i.slice(i.indexOf(":") + 2)]));
    expect(byPath["cfg.name"]).toMatch(/malformed: expected lowercase letters/);
    expect(byPath["cfg.region"]).toMatch(/AWS region/);
    expect(byPath["cfg.vpcId"]).toMatch(/VPC id/);
    expect(byPath["cfg.subnetIds.1"]).toMatch(/subnet id/);
    expect(byPath["cfg.csv"]).toMatch(/absolute path in the image, s3:\/\/bucket\/key/);
    expect(byPath["cfg.partitionSize"]).toMatch(/at least 1/);
    expect(byPath["cfg.moderne.tokenSecretArn"]).toMatch(/Secrets Manager secret ARN/);
    expect(byPath["cfg.schedule.expression"]).toMatch(/cron\(0 0 \* \* \? \*\)/);
    expect(byPath["cfg.logs.retentionDays"]).toMatch(/one of 1, 3, 5, 7/);
    expect(byPath["cfg.compute.type"]).toMatch(/EC2, SPOT, FARGATE, FARGATE_SPOT/);
    expect(byPath["cfg.compute.maxVcpus"]).toMatch(/whole number/);
    expect(byPath["cfg.network.metricsCidr"]).toMatch(/CIDR/);
    expect(byPath["cfg.alerts.email"]).toMatch(/e-mail/);
    expect(Object.keys(byPath)).toHaveLength(13);
  });

  it("rejects unknown fields (typos) by name", () => {
    const issues = issuesOf(minimalConfig({ subnetIDs: ["subnet-0123456789abcdef0"], compute: { maxVCPUs: 4 } }));
    expect([...issues].sort()).toEqual([
      "cfg.compute: unknown field(s) maxVCPUs: remove them or fix the spelling",
      "cfg: unknown field(s) subnetIDs: remove them or fix the spelling",
    ]);
  });

  it("checks fields that depend on each other", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ecr: { create: true } }, "cfg.image.repository: must be omitted when ecr.create is true"],
      [{ image: {} }, "cfg.image.repository: is missing: give the image repository URI, or set ecr.create to true"],
      [
        { publish: { url: "https://repo.example.com/maven", userSecretArn: secret("u") } },
        "cfg.publish.passwordSecretArn: is missing: user and password secrets go together",
      ],
      [
        {
          publish: {
            url: "https://repo.example.com/maven",
            userSecretArn: secret("u"),
            passwordSecretArn: secret("p"),
            tokenSecretArn: secret("t"),
          },
        },
        "cfg.publish.tokenSecretArn: conflicts with userSecretArn/passwordSecretArn",
      ],
      [{ publish: { url: "https://repo.example.com/maven" } }, "cfg.publish: needs userSecretArn + passwordSecretArn or tokenSecretArn"],
      [
        { publish: { url: "s3://lst-bucket/p", tokenSecretArn: secret("t") } },
        "cfg.publish.tokenSecretArn: must be omitted for an s3:// publish URL",
      ],
      [{ network: { metricsPort: 8080 } }, "cfg.network.metricsCidr: is missing: metricsPort and metricsCidr go together"],
      [{ compute: { minVcpus: 16, maxVcpus: 8 } }, "cfg.compute.minVcpus: must not exceed compute.maxVcpus"],
      [{ alerts: { email: "ops@example.com" } }, "cfg.alerts.enabled: must be true when alerts.email is set"],
      [{ processor: { environment: { PUBLISH_URL: "x" } } }, "cfg.processor.environment.PUBLISH_URL: is set by the stack"],
      [
        { compute: { type: "FARGATE" }, processor: { memoryMiB: 4096 } },
        "cfg.processor.memoryMiB: Fargate with 4 vCPU needs 8192-30720 MiB",
      ],
      [{ compute: { type: "FARGATE_SPOT", rootVolumeGiB: 300 } }, "cfg.compute.rootVolumeGiB: must be at most 200 on Fargate"],
      [{ compute: { maxVcpus: 2 } }, "cfg.processor.vcpus: must not exceed compute.maxVcpus"],
    ];
    for (const [overrides, expected] of cases) {
      const issues = issuesOf(minimalConfig(overrides));
      expect(issues, JSON.stringify(overrides)).toHaveLength(1);
      expect(issues[0], JSON.stringify(overrides)).toContain(expected);
    }
  });

  it("accepts each valid publish setup", () => {
    expect(() =>
      parseDeploymentConfig(minimalConfig({ publish: { url: "https://r.example.com/m", tokenSecretArn: secret("t") } })),
    ).not.toThrow();
    expect(() =>
      parseDeploymentConfig(
        minimalConfig({ publish: { url: "https://r.example.com/m", userSecretArn: secret("u"), passwordSecretArn: secret("p") } }),
      ),
    ).not.toThrow();
    expect(() => parseDeploymentConfig(minimalConfig({ publish: { url: "s3://bucket" } }))).not.toThrow();
    expect(() => parseDeploymentConfig(minimalConfig({ publish: { url: "s3://bucket/deep/prefix" } }))).not.toThrow();
  });

  it("knows Fargate's vCPU/memory pairs", () => {
    expect(fargateSizeProblem(1, 2048)).toBeUndefined();
    expect(fargateSizeProblem(4, 15360)).toBeUndefined();
    expect(fargateSizeProblem(8, 16384 + 4096)).toBeUndefined();
    expect(fargateSizeProblem(8, 16384 + 1024)).toMatch(/steps of 4096/);
    expect(fargateSizeProblem(3, 8192)).toMatch(/1, 2, 4, 8 or 16 vCPUs/);
    expect(fargateSizeProblem(1, 1024)).toMatch(/2048-8192/);
  });
});

describe("config file and environment", () => {
  const dir = mkdtempSync(join(tmpdir(), "infra-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = minimalConfig() as Record<string, unknown>;
  const { name: _name, ...shared } = base;

  it("merges defaults under every environment; null removes a default", () => {
    const loaded = parseConfigFile(
      {
        defaults: { ...shared, alerts: { enabled: true, email: "ops@example.com" }, compute: { maxVcpus: 128 } },
        environments: {
          dev: { name: "mi-dev", alerts: { enabled: false, email: null }, compute: { type: "SPOT" } },
          prod: { name: "mi-prod" },
        },
      },
      "test.json",
    );
    expect(loaded.environments.map((e) => e.id)).toEqual(["dev", "prod"]);
    const [dev, prod] = loaded.environments.map((e) => e.config);
    expect(dev?.alerts).toEqual({ enabled: false });
    expect(dev?.compute.type).toBe("SPOT");
    expect(dev?.compute.maxVcpus).toBe(128);
    expect(prod?.alerts).toEqual({ enabled: true, email: "ops@example.com" });
    expect(prod?.compute.type).toBe("EC2");
    expect(prod?.name).toBe("mi-prod");
  });

  it("reports problems of every environment together, prefixed by the environment", () => {
    const error = errorOf(() =>
      parseConfigFile(
        { defaults: shared, environments: { dev: { name: "mi-dev", region: "nowhere" }, prod: { name: "mi-dev" }, qa: {} } },
        "test.json",
      ),
    );
    expect(error.issues).toEqual([
      expect.stringMatching(/^environments\.dev\.region: is malformed/),
      'environments.prod.name: "mi-dev" is already used by environment dev; every environment needs its own name',
      expect.stringMatching(/^environments\.qa\.name: is missing/),
    ]);
  });

  it("rejects a file without environments or with unknown top-level keys", () => {
    expect(errorOf(() => parseConfigFile({ defaults: shared }, "f.json")).issues).toEqual([
      "environments: is missing: add at least one environment",
    ]);
    expect(errorOf(() => parseConfigFile({ environments: {} }, "f.json")).issues).toEqual([
      "environments: is empty: add at least one environment",
    ]);
    expect(errorOf(() => parseConfigFile({ environment: {}, environments: { a: base } }, "f.json")).issues).toEqual([
      "(root): unknown field(s) environment: remove them or fix the spelling",
    ]);
  });

  it("loads the file named by MASS_INGEST_CONFIG, selects stacks and overrides the image tag", () => {
    const file = join(dir, "deploy.json");
    writeFileSync(file, JSON.stringify({ defaults: shared, environments: { a: { name: "mi-a" }, b: { name: "mi-b" } } }));
    const all = loadConfig({ MASS_INGEST_CONFIG: file }, "/");
    expect(all.source).toBe(file);
    expect(all.environments.map((e) => e.id)).toEqual(["a", "b"]);
    expect(all.environments[0]?.config.image.tag).toBe("latest");
    const some = loadConfig({ MASS_INGEST_CONFIG: "deploy.json", MASS_INGEST_STACKS: " b ", MASS_INGEST_IMAGE_TAG: "sha-1234" }, dir);
    expect(some.environments.map((e) => e.id)).toEqual(["b"]);
    expect(some.environments[0]?.config.image.tag).toBe("sha-1234");
    const unknown = errorOf(() => loadConfig({ MASS_INGEST_CONFIG: file, MASS_INGEST_STACKS: "c" }, "/"));
    expect(unknown.issues[0]).toContain('MASS_INGEST_STACKS: names environment "c"');
  });

  it("reads config.json in the working directory by default, and inline JSON from MASS_INGEST_CONFIG_JSON", () => {
    writeFileSync(join(dir, "config.json"), JSON.stringify({ environments: { d: base } }));
    expect(loadConfig({}, dir).environments[0]?.config.name).toBe("mi-test");
    const inline = loadConfig(
      { MASS_INGEST_CONFIG_JSON: JSON.stringify({ environments: { e: { ...base, name: "mi-inline" } } }) },
      "/nonexistent",
    );
    expect(inline.source).toBe("$MASS_INGEST_CONFIG_JSON");
    expect(inline.environments[0]?.config.name).toBe("mi-inline");
  });

  it("says how to create a missing file and names a file that is not JSON", () => {
    const missing = errorOf(() => loadConfig({ MASS_INGEST_CONFIG: join(dir, "nope.json") }, "/"));
    expect(missing.code).toBe("INFRA_CONFIG_MISSING");
    expect(missing.message).toContain("nope.json");
    expect(missing.hint).toContain("config.example.json");
    writeFileSync(join(dir, "broken.json"), "{ environments: ");
    const broken = errorOf(() => loadConfig({ MASS_INGEST_CONFIG: join(dir, "broken.json") }, "/"));
    expect(broken.code).toBe("INFRA_CONFIG_UNREADABLE");
    expect(broken.message).toContain("broken.json is not valid JSON");
  });

  it("the example config in the repo is valid", () => {
    const example = JSON.parse(readFileSync(new URL("../config.example.json", import.meta.url), "utf8")) as unknown;
    const loaded = parseConfigFile(example, "config.example.json");
    expect(loaded.environments.map((e) => e.id)).toEqual(["staging", "prod"]);
    expect(loaded.environments[0]?.config.schedule.enabled).toBe(false);
  });
});

describe("MANAGED_PROCESSOR_ENV_NAMES of the contract", () => {
  it("names every variable and secret the stack sets on the processor, so processor.environment cannot override one", () => {
    const setByStack = new Set<string>();
    for (const input of [minimalConfig(), FULL, FARGATE, minimalConfig({ stateUrl: "s3://state-bucket/mass-ingest" })]) {
      const config = parseDeploymentConfig(input);
      for (const name of Object.keys(processorEnvironment(config))) if (!(name in config.processor.environment)) setByStack.add(name);
      for (const { name } of processorSecrets(config)) setByStack.add(name);
    }
    // MOD_MONITOR_PORT comes from network.metricsPort; its own rule (config-rules.test.ts) keeps
    // processor.environment from setting it next to that field. BUILD_CONCURRENCY is only a default derived from
    // the memory: processor.environment overrides it.
    expect(setByStack.has(PROCESSOR_ENV.buildConcurrency.name)).toBe(true);
    setByStack.delete(PROCESSOR_ENV.buildConcurrency.name);
    expect([...setByStack].sort()).toEqual([...new Set([...MANAGED_PROCESSOR_ENV_NAMES, PROCESSOR_ENV.monitorPort.name])].sort());
    const overridden = parseDeploymentConfig(minimalConfig({ processor: { environment: { BUILD_CONCURRENCY: "4" } } }));
    expect(processorEnvironment(overridden).BUILD_CONCURRENCY).toBe("4");
  });
});
