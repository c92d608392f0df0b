import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROCESSOR_COMMAND, PROCESSOR_PARAMETER_DEFAULTS, substituteCommand } from "@mass-ingest/contract";
import { Testing } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addStacks } from "../src/app.js";
import { parseConfigFile } from "../src/config/load.js";
import { synthesizeJobDefinitions } from "../src/job-definitions-view.js";
import { minimalConfig, secret } from "./helpers.js";

const infraDir = fileURLToPath(new URL("..", import.meta.url));
const example = join(infraDir, "config.example.json");
const dir = mkdtempSync(join(tmpdir(), "infra-app-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type StackJson = { resource: Record<string, Record<string, { name?: string }>>; terraform: { backend?: unknown } };
const readStack = (out: string, id: string) => JSON.parse(readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8")) as StackJson;
const names = (stack: StackJson, type: string) => Object.values(stack.resource[type] ?? {}).map((r) => r.name);

function runMain(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: infraDir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("the cdktf app entry (src/main.ts)", () => {
  it("synthesizes one stack per environment of the config file", () => {
    const out = join(dir, "main-out");
    const result = runMain({ MASS_INGEST_CONFIG: example, CDKTF_OUTDIR: out });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(["prod", "staging"]);
    const prod = readStack(out, "prod");
    const staging = readStack(out, "staging");
    expect(names(prod, "aws_batch_job_queue")).toEqual(["mass-ingest-prod-queue"]);
    expect(names(staging, "aws_batch_job_queue")).toEqual(["mass-ingest-staging-queue"]);
    expect(Object.keys(prod.terraform.backend as object)).toEqual(["s3"]);
    expect(Object.keys(staging.terraform.backend as object)).toEqual(["local"]);
    expect(names(prod, "aws_sns_topic")).toEqual(["mass-ingest-prod-job-failures"]);
    expect(names(staging, "aws_sns_topic")).toEqual([]);
  });

  it("a bad config prints every problem, exits 2 and synthesizes nothing", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ environments: { prod: { name: "mi-prod", vpcId: "vpc-1", publish: { url: "ftp://x" } } } }));
    const out = join(dir, "bad-out");
    const result = runMain({ MASS_INGEST_CONFIG: file, CDKTF_OUTDIR: out });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`Invalid deployment config in ${file} (4 problems)`);
    expect(result.stderr).toContain("environments.prod.region: is missing");
    expect(result.stderr).toContain("environments.prod.vpcId: is malformed");
    expect(result.stderr).toContain("environments.prod.subnetIds: is missing");
    expect(result.stderr).toContain("environments.prod.publish.url: is malformed");
    expect(result.stderr).toContain("hint: Fix the field(s) above");
    // Printed once (the cdktf CLI used to print the app's stderr a second time and exit 1).
    expect(result.stderr.split("Invalid deployment config").length - 1).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe("plain Terraform / OpenTofu on the synthesized stack (src/terraform-cli.ts, the infra:plan/apply/destroy scripts)", () => {
  const hasTerraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
  const runCli = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/terraform-cli.ts", ...args], {
      cwd: infraDir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, ...env },
      encoding: "utf8",
      timeout: 120_000,
    });

  it("needs one environment and a Terraform command: exit 2 with a hint", () => {
    const result = runCli(["plan"], { MASS_INGEST_CONFIG: example });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("hint: pnpm nx run infra:plan --stack=prod");
  });

  it("a bad config stops before Terraform: every problem once, exit 2", () => {
    const file = join(dir, "bad-tf.json");
    writeFileSync(file, JSON.stringify({ environments: { prod: { name: "mi-prod" } } }));
    const result = runCli(["--stack", "prod", "plan"], {
      MASS_INGEST_CONFIG: file,
      CDKTF_OUTDIR: join(dir, "bad-tf-out"),
      TF_BINARY: "/nonexistent/terraform",
    });
    expect(result.status).toBe(2);
    expect(result.stderr.split("Invalid deployment config").length - 1).toBe(1);
    expect(result.stderr).not.toContain("cannot run");
  });

  it("synthesizes the one environment, then says clearly when the Terraform binary is missing (exit 1)", () => {
    const out = join(dir, "tf-missing-out");
    const result = runCli(["--stack=staging", "plan"], { MASS_INGEST_CONFIG: example, CDKTF_OUTDIR: out, TF_BINARY: "/nonexistent/tofu" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot run /nonexistent/tofu");
    expect(result.stderr).toContain("install Terraform 1.10+ or OpenTofu 1.10+");
    expect(existsSync(join(out, "stacks", "staging", "cdk.tf.json"))).toBe(true);
    expect(existsSync(join(out, "stacks", "prod"))).toBe(false);
  });

  it.runIf(hasTerraform)("runs the real terraform in the stack's folder with no checkpoint call and no CLI configuration warning", () => {
    const out = join(dir, "tf-out");
    const result = runCli(["--stack", "staging", "version"], {
      MASS_INGEST_CONFIG: example,
      CDKTF_OUTDIR: out,
      TF_CLI_CONFIG_FILE: join(dir, "no-such.tfrc"),
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Terraform v\d+\.\d+/m);
    expect(result.stderr).toBe("");
    expect(result.stdout + result.stderr).not.toMatch(/CLI configuration|checkpoint/i);
  });
});

describe("several stacks from one app", () => {
  it("two environments in one account get disjoint names", () => {
    const { name: _n, ...shared } = minimalConfig() as Record<string, unknown>;
    const loaded = parseConfigFile({ defaults: shared, environments: { a: { name: "mi-a" }, b: { name: "mi-b" } } }, "inline");
    const app = Testing.app();
    const stacks = addStacks(app, loaded);
    expect(stacks.map((s) => s.node.id)).toEqual(["a", "b"]);
    const all = stacks.map((s) => JSON.parse(Testing.synth(s)) as StackJson);
    const everyName = (stack: StackJson) =>
      Object.entries(stack.resource)
        .filter(([type]) => type !== "aws_iam_role_policy")
        .flatMap(([, list]) => Object.values(list).map((r) => r.name))
        .filter((n): n is string => typeof n === "string");
    const [a, b] = all.map(everyName) as [string[], string[]];
    expect(a.length).toBeGreaterThan(10);
    expect(a.filter((n) => b.includes(n))).toEqual([]);
  });
});

describe("synthesizeJobDefinitions (for the coherence test)", () => {
  let defs: ReturnType<typeof synthesizeJobDefinitions>;
  beforeAll(() => {
    defs = synthesizeJobDefinitions(minimalConfig({ moderne: { tokenSecretArn: secret("m") }, partitionSize: 10 }));
  });

  it("returns the processor's command, parameters, environment and secrets as deployed", () => {
    expect(defs.processor.name).toBe("mi-test-processor");
    expect(defs.processor.command).toEqual([...PROCESSOR_COMMAND]);
    expect(defs.processor.parameters).toEqual({ ...PROCESSOR_PARAMETER_DEFAULTS, partitionSize: "10" });
    expect(defs.processor.environment).toMatchObject({ DATA_DIR: "/var/moderne", PUBLISH_URL: "s3://lst-bucket/lsts" });
    expect(defs.processor.secrets).toEqual({ MODERNE_TOKEN: secret("m") });
    expect([defs.processor.vcpus, defs.processor.memoryMiB, defs.processor.timeoutSeconds]).toEqual([4, 15360, 3600]);
    const argv = substituteCommand(defs.processor.command, { start: "11", end: "20", runId: "r1" }, defs.processor.parameters);
    expect(argv).toEqual([
      "mass-ingest-processor",
      "/app/repos.csv",
      "--partition-size",
      "10",
      "--row-count",
      "0",
      "--run-id",
      "r1",
      "--start",
      "11",
      "--end",
      "20",
      "--partitions",
      "all",
      "--plan",
      "none",
    ]);
  });

  it("returns the chunk job's command and environment", () => {
    expect(substituteCommand(defs.chunk.command, {}, defs.chunk.parameters)).toEqual([
      "mass-ingest-chunker",
      "submit",
      "/app/repos.csv",
      "--partition-size",
      "10",
    ]);
    expect(Object.keys(defs.chunk.environment).sort()).toEqual([
      "AWS_REGION",
      "JOB_DEFINITION",
      "JOB_NAME",
      "JOB_QUEUE",
      "PARTITION_SIZE",
      "STATE_URL",
    ]);
    expect(defs.chunk.environment.JOB_DEFINITION).toMatch(/^\$\{aws_batch_job_definition\.[^.]+\.arn\}$/);
    expect(defs.chunk.environment.JOB_NAME).toBe("mi-test-processor");
    expect(defs.chunk.secrets).toEqual({});
  });

  it("returns the report job's command and environment (a state store is on by default)", () => {
    expect(substituteCommand(defs.report!.command, { runId: "r1" }, defs.report!.parameters)).toEqual([
      "mass-ingest-chunker",
      "report",
      "r1",
    ]);
    expect(defs.report!.environment).toEqual({
      AWS_REGION: "us-east-1",
      STATE_URL: defs.chunk.environment.STATE_URL,
      JOB_QUEUE: defs.chunk.environment.JOB_QUEUE,
      JOB_NAME: defs.chunk.environment.JOB_NAME,
    });
  });

  it("replaces the queue and job definition references with given ARNs", () => {
    const queue = "arn:aws:batch:us-east-1:123456789012:job-queue/q";
    const definition = "arn:aws:batch:us-east-1:123456789012:job-definition/p:4";
    const resolved = synthesizeJobDefinitions(minimalConfig(), { jobQueueArn: queue, processorJobDefinitionArn: definition });
    expect(resolved.chunk.environment).toMatchObject({ JOB_QUEUE: queue, JOB_DEFINITION: definition, JOB_NAME: "mi-test-processor" });
    expect(resolved.processor.environment).toEqual(defs.processor.environment);
  });

  it("validates its input like the app does", () => {
    expect(() => synthesizeJobDefinitions({ ...minimalConfig(), region: "nowhere" })).toThrow(/config\.region: is malformed/);
  });
});

describe("cdktf synth (the real CLI, offline)", () => {
  it("generates every stack of the example config", () => {
    const out = join(dir, "cli-out");
    const result = spawnSync(join(infraDir, "node_modules", ".bin", "cdktf"), ["synth", "--output", out], {
      cwd: infraDir,
      env: { ...process.env, MASS_INGEST_CONFIG: example, CHECKPOINT_DISABLE: "1", CI: "1", CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1" },
      encoding: "utf8",
      timeout: 180_000,
    });
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(names(readStack(out, "prod"), "aws_batch_job_definition").sort()).toEqual([
      "mass-ingest-prod-chunk",
      "mass-ingest-prod-processor",
      "mass-ingest-prod-report",
    ]);
    expect(names(readStack(out, "staging"), "aws_scheduler_schedule")).toEqual(["mass-ingest-staging-nightly"]);
  });
});
