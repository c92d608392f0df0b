import { PROCESSOR_COMMAND, PROCESSOR_PARAMETER_DEFAULTS } from "@mass-ingest/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultBuildConcurrency } from "../src/constructs/job-definitions.js";
import { FARGATE, FULL } from "./fixtures.js";
import { ACCOUNT, Synth, minimalConfig, secret } from "./helpers.js";
import type { Json } from "./helpers.js";

const ECR_REPO = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/mass-ingest`;
const IDENTITY = "${data.aws_caller_identity.identity.account_id}";
const STATE_BUCKET_TYPES = [
  "aws_s3_bucket",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_versioning",
];

/** EC2 with every default. */
let base: Synth;
/** SPOT with every optional feature switched on. */
let full: Synth;
/** FARGATE_SPOT, image outside ECR, token publishing, https csv. */
let fargate: Synth;

beforeAll(() => {
  base = new Synth(minimalConfig());
  full = new Synth(FULL);
  fargate = new Synth(FARGATE);
});

describe("resources per configuration", () => {
  const types = (s: Synth) => Object.keys(s.json.resource as Json).sort();

  it("default EC2: the core set plus what is on by default (state bucket, run report, dashboard)", () => {
    expect(types(base)).toEqual([
      "aws_batch_compute_environment",
      "aws_batch_job_definition",
      "aws_batch_job_queue",
      "aws_cloudwatch_dashboard",
      "aws_cloudwatch_event_rule",
      "aws_cloudwatch_event_target",
      "aws_cloudwatch_log_group",
      "aws_iam_instance_profile",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_launch_template",
      ...STATE_BUCKET_TYPES,
      "aws_scheduler_schedule",
      "aws_security_group",
      "aws_vpc_security_group_egress_rule",
    ]);
    expect(
      base
        .all("aws_batch_job_definition")
        .map((d) => d.name)
        .sort(),
    ).toEqual(["mi-test-chunk", "mi-test-processor", "mi-test-report"]);
    expect(
      base
        .all("aws_iam_role")
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "mi-test-chunk-exec",
      "mi-test-chunk-job",
      "mi-test-ecs-instance",
      "mi-test-processor-exec",
      "mi-test-processor-job",
      "mi-test-report-exec",
      "mi-test-report-job",
      "mi-test-run-finished",
      "mi-test-scheduler",
    ]);
  });

  it("without a state store, report and dashboard: the core set, nothing optional", () => {
    const core = new Synth(minimalConfig({ state: { create: false }, dashboard: { enabled: false } }));
    expect(types(core)).toEqual([
      "aws_batch_compute_environment",
      "aws_batch_job_definition",
      "aws_batch_job_queue",
      "aws_cloudwatch_log_group",
      "aws_iam_instance_profile",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_launch_template",
      "aws_scheduler_schedule",
      "aws_security_group",
      "aws_vpc_security_group_egress_rule",
    ]);
    expect(core.all("aws_batch_job_definition")).toHaveLength(2);
    expect(core.all("aws_iam_role")).toHaveLength(6);
    expect(core.jobDefinition("mi-test-processor").container.environment).not.toContainEqual(
      expect.objectContaining({ name: "STATE_URL" }),
    );
  });

  it("everything switched on adds ECR, alerts, the metrics rule and the service-linked role", () => {
    expect(types(full)).toEqual([
      "aws_batch_compute_environment",
      "aws_batch_job_definition",
      "aws_batch_job_queue",
      "aws_cloudwatch_dashboard",
      "aws_cloudwatch_event_rule",
      "aws_cloudwatch_event_target",
      "aws_cloudwatch_log_group",
      "aws_ecr_lifecycle_policy",
      "aws_ecr_repository",
      "aws_iam_instance_profile",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_iam_service_linked_role",
      "aws_launch_template",
      ...STATE_BUCKET_TYPES,
      "aws_scheduler_schedule",
      "aws_security_group",
      "aws_sns_topic",
      "aws_sns_topic_policy",
      "aws_sns_topic_subscription",
      "aws_vpc_security_group_egress_rule",
      "aws_vpc_security_group_ingress_rule",
    ]);
  });

  it("Fargate has no launch template, instance role or instance profile", () => {
    expect(fargate.all("aws_launch_template")).toHaveLength(0);
    expect(fargate.all("aws_iam_instance_profile")).toHaveLength(0);
    expect(fargate.all("aws_iam_role").map((r) => r.name)).not.toContain("mi-fargate-ecs-instance");
  });

  it("derives every name from the one prefix", () => {
    for (const s of [base, full, fargate]) {
      const prefix = s.stack.context.config.name;
      for (const [type, list] of Object.entries(s.json.resource as Record<string, Record<string, Json>>)) {
        for (const r of Object.values(list)) {
          if (typeof r.name !== "string") continue;
          if (type === "aws_iam_role_policy") continue; // inline policy names are per role
          expect(r.name.replace(/^\/aws\/batch\//, ""), `${type} ${r.name}`).toMatch(new RegExp(`^${prefix}(-|$)`));
        }
      }
    }
  });
});

describe("provider, backend, tags and outputs", () => {
  it("tags every resource with the deployment and the configured tags", () => {
    const provider = (base.json.provider as { aws: Json[] }).aws[0] as Json;
    expect(provider.region).toBe("us-east-1");
    expect(provider.default_tags).toEqual([{ tags: { "mass-ingest:deployment": "mi-test" } }]);
    const fullProvider = (full.json.provider as { aws: Json[] }).aws[0] as Json;
    expect(fullProvider.default_tags).toEqual([{ tags: { team: "platform", "mass-ingest:deployment": "mi-full" } }]);
  });

  it("keeps state locally by default and in S3 (encrypted, locked) when configured", () => {
    expect((base.json.terraform as Json).backend).toBeUndefined();
    expect((full.json.terraform as Json).backend).toEqual({
      s3: { bucket: "tf-state-bucket", key: "mass-ingest/full.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
  });

  it("outputs queue, job definitions, log group, schedule and image", () => {
    const outputs = (s: Synth) => s.json.output as Record<string, { value: string }>;
    expect(Object.keys(outputs(base)).sort()).toEqual([
      "chunk_job_definition_arn",
      "dashboard_name",
      "image_uri",
      "job_queue_arn",
      "log_group_name",
      "processor_job_definition_arn",
      "report_job_definition_arn",
      "schedule_arn",
      "state_url",
    ]);
    expect(outputs(base).state_url?.value).toBe(`s3://mi-test-state-${IDENTITY}/mass-ingest`);
    expect(outputs(base).report_job_definition_arn?.value).toBe(base.ref("aws_batch_job_definition", "mi-test-report", "arn"));
    expect(outputs(base).job_queue_arn?.value).toBe(base.refOne("aws_batch_job_queue", "arn"));
    expect(outputs(base).processor_job_definition_arn?.value).toBe(base.ref("aws_batch_job_definition", "mi-test-processor", "arn"));
    expect(outputs(base).chunk_job_definition_arn?.value).toBe(base.ref("aws_batch_job_definition", "mi-test-chunk", "arn"));
    expect(outputs(base).log_group_name?.value).toBe(base.refOne("aws_cloudwatch_log_group", "name"));
    expect(outputs(base).schedule_arn?.value).toBe(base.refOne("aws_scheduler_schedule", "arn"));
    expect(outputs(base).image_uri?.value).toBe(`${ECR_REPO}:latest`);
    expect(outputs(full).image_repository_url?.value).toBe(full.refOne("aws_ecr_repository", "repository_url"));
    expect(outputs(full).alerts_topic_arn?.value).toBe(full.refOne("aws_sns_topic", "arn"));
  });
});

describe("compute environment and launch template", () => {
  it("EC2 by default: m6a.xlarge, 0-256 vCPUs, launch template, instance profile, security group", () => {
    const ce = base.one("aws_batch_compute_environment");
    expect(ce.name).toBe("mi-test-compute");
    expect(ce.type).toBe("MANAGED");
    expect(ce.state).toBe("ENABLED");
    expect(ce.service_role).toBeUndefined(); // the Batch service-linked role
    expect(ce.compute_resources).toEqual({
      type: "EC2",
      allocation_strategy: "BEST_FIT_PROGRESSIVE",
      instance_type: ["m6a.xlarge"],
      min_vcpus: 0,
      max_vcpus: 256,
      subnets: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
      security_group_ids: [base.refOne("aws_security_group", "id")],
      instance_role: base.refOne("aws_iam_instance_profile", "arn"),
      ec2_configuration: [{ image_type: "ECS_AL2023" }],
      launch_template: {
        launch_template_id: base.refOne("aws_launch_template", "id"),
        version: base.refOne("aws_launch_template", "latest_version"),
      },
      tags: { "mass-ingest:deployment": "mi-test" },
    });
    expect(ce.depends_on).toEqual([base.address("aws_iam_role_policy", "ecs-agent")]);
  });

  it("launch template: 64 GB gp3 encrypted root volume deleted on termination, IMDSv2 with hop limit 1", () => {
    const lt = base.one("aws_launch_template");
    expect(lt.name).toBe("mi-test-batch");
    expect(lt.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { volume_size: 64, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } },
    ]);
    expect(lt.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(lt.update_default_version).toBe(true);
    expect(lt.tag_specifications).toEqual([
      { resource_type: "instance", tags: { "mass-ingest:deployment": "mi-test" } },
      { resource_type: "volume", tags: { "mass-ingest:deployment": "mi-test" } },
    ]);
    expect((full.one("aws_launch_template").block_device_mappings as Json[])[0]).toMatchObject({ ebs: { volume_size: 128 } });
  });

  it("SPOT: capacity-optimized with the bid percentage; waits for the service-linked role", () => {
    const ce = full.one("aws_batch_compute_environment");
    expect(ce.compute_resources).toMatchObject({
      type: "SPOT",
      allocation_strategy: "SPOT_CAPACITY_OPTIMIZED",
      bid_percentage: 60,
      instance_type: ["m6a.2xlarge", "m5a.2xlarge"],
      min_vcpus: 8,
      max_vcpus: 512,
    });
    const slr = full.one("aws_iam_service_linked_role");
    expect(slr.aws_service_name).toBe("batch.amazonaws.com");
    const slrId = Object.keys(full.resources("aws_iam_service_linked_role"))[0];
    expect(ce.depends_on).toContain(`aws_iam_service_linked_role.${slrId}`);
    expect((base.one("aws_batch_compute_environment").compute_resources as Json).bid_percentage).toBeUndefined();
  });

  it("Fargate: only type, max vCPUs, subnets and security group", () => {
    expect(fargate.one("aws_batch_compute_environment").compute_resources).toEqual({
      type: "FARGATE_SPOT",
      max_vcpus: 64,
      subnets: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
      security_group_ids: [fargate.refOne("aws_security_group", "id")],
    });
  });

  it("the job queue feeds the compute environment", () => {
    expect(base.one("aws_batch_job_queue")).toMatchObject({
      name: "mi-test-queue",
      state: "ENABLED",
      priority: 1,
      compute_environment_order: [{ order: 1, compute_environment: base.refOne("aws_batch_compute_environment", "arn") }],
    });
  });
});

describe("network and logs", () => {
  it("security group: no inbound by default, all outbound", () => {
    const sg = base.one("aws_security_group");
    expect(sg).toMatchObject({ name: "mi-test-batch", vpc_id: "vpc-0123456789abcdef0", revoke_rules_on_delete: true });
    expect(sg.ingress).toBeUndefined();
    expect(base.all("aws_vpc_security_group_ingress_rule")).toHaveLength(0);
    const egress = base.all("aws_vpc_security_group_egress_rule").map(({ ["//"]: _meta, ...rule }) => rule);
    expect(egress).toEqual([
      {
        security_group_id: base.refOne("aws_security_group", "id"),
        description: "all outbound IPv4",
        ip_protocol: "-1",
        cidr_ipv4: "0.0.0.0/0",
      },
      {
        security_group_id: base.refOne("aws_security_group", "id"),
        description: "all outbound IPv6",
        ip_protocol: "-1",
        cidr_ipv6: "::/0",
      },
    ]);
  });

  it("the metrics port is open to the configured CIDR only", () => {
    expect(full.one("aws_vpc_security_group_ingress_rule")).toMatchObject({
      security_group_id: full.refOne("aws_security_group", "id"),
      ip_protocol: "tcp",
      from_port: 8080,
      to_port: 8080,
      cidr_ipv4: "10.20.0.0/16",
    });
  });

  it("log group with 7-day retention by default, configurable", () => {
    expect(base.one("aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/batch/mi-test", retention_in_days: 7 });
    expect(full.one("aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/batch/mi-full", retention_in_days: 30 });
  });
});

describe("processor job definition", () => {
  it("runs PROCESSOR_COMMAND with the shared parameter defaults", () => {
    const def = base.jobDefinition("mi-test-processor");
    expect(def.container.command).toEqual([...PROCESSOR_COMMAND]);
    expect(def.parameters).toEqual(PROCESSOR_PARAMETER_DEFAULTS);
    expect(def.type).toBe("container");
    expect(def.platform_capabilities).toEqual(["EC2"]);
    expect(def.propagate_tags).toBe(true);
  });

  it("carries the configured csv and partition size as parameter defaults", () => {
    expect(full.jobDefinition("mi-full-processor").parameters).toEqual({
      ...PROCESSOR_PARAMETER_DEFAULTS,
      csv: "s3://config-bucket/nightly/repos.csv",
      partitionSize: "25",
    });
  });

  it("4 vCPU, 15360 MiB, 1 hour by default; configurable", () => {
    const def = base.jobDefinition("mi-test-processor");
    expect(def.container.resourceRequirements).toEqual([
      { type: "VCPU", value: "4" },
      { type: "MEMORY", value: "15360" },
    ]);
    expect(def.timeout).toEqual({ attempt_duration_seconds: 3600 });
    const big = full.jobDefinition("mi-full-processor");
    expect(big.container.resourceRequirements).toEqual([
      { type: "VCPU", value: "8" },
      { type: "MEMORY", value: "30720" },
    ]);
    expect(big.timeout).toEqual({ attempt_duration_seconds: 7200 });
  });

  it("retries Spot reclaims (Host EC2*) and exits on application failures", () => {
    expect(base.jobDefinition("mi-test-processor").retry_strategy).toEqual({
      attempts: 3,
      evaluate_on_exit: [
        { action: "RETRY", on_status_reason: "Host EC2*" },
        { action: "EXIT", on_reason: "*" },
      ],
    });
    expect((full.jobDefinition("mi-full-processor").retry_strategy as Json).attempts).toBe(5);
    expect((fargate.jobDefinition("mi-fargate-processor").retry_strategy as Json).evaluate_on_exit).toEqual([
      { action: "RETRY", on_status_reason: "Host EC2*" },
      { action: "RETRY", on_status_reason: "Your Spot Task was interrupted*" },
      { action: "EXIT", on_reason: "*" },
    ]);
  });

  it("minimal environment: region, data dir, publish URL, build timeout and concurrency, state; no secrets", () => {
    const c = base.jobDefinition("mi-test-processor").container;
    expect(c.environment).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "BUILD_CONCURRENCY", value: "1" },
      { name: "BUILD_TIMEOUT", value: "2700" },
      { name: "DATA_DIR", value: "/var/moderne" },
      { name: "JOB_TIMEOUT", value: "3600" },
      { name: "PUBLISH_URL", value: "s3://lst-bucket/lsts" },
      { name: "S3_REGION", value: "us-east-1" },
      { name: "STATE_URL", value: `s3://mi-test-state-${IDENTITY}/mass-ingest` },
    ]);
    expect(c.secrets).toBeUndefined();
  });

  it("full environment and a secret for exactly each configured ARN", () => {
    const c = full.jobDefinition("mi-full-processor").container;
    expect(c.environment).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "BATCH_SIZE", value: "5" },
      { name: "BUILD_CONCURRENCY", value: "3" },
      { name: "BUILD_TIMEOUT", value: "1800" },
      { name: "DATA_DIR", value: "/var/moderne" },
      { name: "JAVA_TOOL_OPTIONS", value: "-Xss4m" },
      { name: "JOB_TIMEOUT", value: "7200" },
      { name: "MODERNE_TENANT", value: "https://app.moderne.io" },
      { name: "MOD_MONITOR_PORT", value: "8080" },
      { name: "PUBLISH_URL", value: "https://artifactory.example.com/artifactory/lsts" },
      { name: "S3_ENDPOINT", value: "https://s3.example.com" },
      { name: "S3_PROFILE", value: "ingest" },
      { name: "S3_REGION", value: "eu-west-1" },
      { name: "STATE_URL", value: `s3://mi-full-state-${IDENTITY}/mass-ingest` },
    ]);
    expect(c.secrets).toEqual([
      { name: "MODERNE_TOKEN", valueFrom: secret("moderne") },
      { name: "GIT_CREDENTIALS", valueFrom: secret("git") },
      { name: "GIT_SSH_CREDENTIALS", valueFrom: secret("ssh") },
      { name: "PUBLISH_USER", valueFrom: secret("publish", ":username::") },
      { name: "PUBLISH_PASSWORD", valueFrom: secret("publish", ":password::") },
    ]);
    expect(fargate.jobDefinition("mi-fargate-processor").container.secrets).toEqual([
      { name: "PUBLISH_TOKEN", valueFrom: secret("publish-token") },
    ]);
  });

  it("BUILD_CONCURRENCY defaults to one build per 8 GiB of the container (at least 1); processor.environment and MOD_JAVA_OPTIONS", () => {
    expect([512, 8191, 8192, 15_360, 16_384, 30_720, 65_536].map((m) => defaultBuildConcurrency(m))).toEqual([1, 1, 1, 1, 2, 3, 8]);
    const env = (config: Record<string, unknown>) =>
      new Synth(minimalConfig(config)).jobDefinition("mi-test-processor").container.environment as { name: string; value: string }[];
    expect(env({ processor: { memoryMiB: 16_384, environment: { BUILD_CONCURRENCY: "1" } } })).toContainEqual({
      name: "BUILD_CONCURRENCY",
      value: "1",
    });
    expect(env({ processor: { memoryMiB: 16_384 } })).toContainEqual({ name: "BUILD_CONCURRENCY", value: "2" });
    expect(env({ processor: { modJavaOptions: "-Xmx6g -Xss3m" } })).toContainEqual({ name: "MOD_JAVA_OPTIONS", value: "-Xmx6g -Xss3m" });
    const ca = secret("ca");
    const withCa = new Synth(minimalConfig({ caCertsSecretArn: ca })).jobDefinition("mi-test-processor").container;
    expect(withCa.secrets).toEqual([{ name: "CA_CERTS", valueFrom: ca }]);
  });

  it("uses this deployment's roles, log group, image and an init process", () => {
    const c = base.jobDefinition("mi-test-processor").container;
    expect(c.image).toBe(`${ECR_REPO}:latest`);
    expect(c.jobRoleArn).toBe(base.ref("aws_iam_role", "mi-test-processor-job", "arn"));
    expect(c.executionRoleArn).toBe(base.ref("aws_iam_role", "mi-test-processor-exec", "arn"));
    expect(c.linuxParameters).toEqual({ initProcessEnabled: true });
    expect(c.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": base.refOne("aws_cloudwatch_log_group", "name"),
        "awslogs-region": "us-east-1",
        "awslogs-stream-prefix": "processor",
      },
    });
    expect(full.jobDefinition("mi-full-processor").container.image).toBe(
      `${full.refOne("aws_ecr_repository", "repository_url")}:2026.11.29`,
    );
    expect(fargate.jobDefinition("mi-fargate-processor").container.image).toBe("ghcr.io/example/mass-ingest:v1");
  });

  it("Fargate: platform, network, ephemeral storage", () => {
    const def = fargate.jobDefinition("mi-fargate-processor");
    expect(def.platform_capabilities).toEqual(["FARGATE"]);
    expect(def.container).toMatchObject({
      networkConfiguration: { assignPublicIp: "ENABLED" },
      fargatePlatformConfiguration: { platformVersion: "LATEST" },
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      ephemeralStorage: { sizeInGiB: 100 },
    });
    expect(fargate.jobDefinition("mi-fargate-chunk").container.ephemeralStorage).toBeUndefined();
    expect(base.jobDefinition("mi-test-processor").container.networkConfiguration).toBeUndefined();
  });
});

describe("chunk job definition", () => {
  it("runs `mass-ingest-chunker submit <csv> --partition-size N` with the csv and size as parameters", () => {
    const def = base.jobDefinition("mi-test-chunk");
    expect(def.container.command).toEqual(["mass-ingest-chunker", "submit", "Ref::csv", "--partition-size", "Ref::partitionSize"]);
    expect(def.parameters).toEqual({ csv: "/app/repos.csv", partitionSize: "50" });
    expect(full.jobDefinition("mi-full-chunk").parameters).toEqual({ csv: "s3://config-bucket/nightly/repos.csv", partitionSize: "25" });
  });

  it("small by default (1 vCPU, 2 GB) with its own retries and timeout", () => {
    const def = base.jobDefinition("mi-test-chunk");
    expect(def.container.resourceRequirements).toEqual([
      { type: "VCPU", value: "1" },
      { type: "MEMORY", value: "2048" },
    ]);
    expect(def.timeout).toEqual({ attempt_duration_seconds: 1800 });
    expect((def.retry_strategy as Json).attempts).toBe(2);
    const custom = full.jobDefinition("mi-full-chunk");
    expect(custom.container.resourceRequirements).toEqual([
      { type: "VCPU", value: "2" },
      { type: "MEMORY", value: "4096" },
    ]);
    expect(custom.timeout).toEqual({ attempt_duration_seconds: 900 });
  });

  it("environment wires the queue, the processor job definition, the job name, the partition size and the state", () => {
    const c = base.jobDefinition("mi-test-chunk").container;
    expect(c.environment).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "JOB_DEFINITION", value: base.ref("aws_batch_job_definition", "mi-test-processor", "arn") },
      { name: "JOB_NAME", value: "mi-test-processor" },
      { name: "JOB_QUEUE", value: base.refOne("aws_batch_job_queue", "arn") },
      { name: "PARTITION_SIZE", value: "50" },
      { name: "STATE_URL", value: `s3://mi-test-state-${IDENTITY}/mass-ingest` },
    ]);
    expect(c.secrets).toBeUndefined();
    // Exactly the git credentials (the ls-remote pass) and CA_CERTS: never the publish or Moderne secrets.
    expect(full.jobDefinition("mi-full-chunk").container.secrets).toEqual([
      { name: "GIT_CREDENTIALS", valueFrom: secret("git") },
      { name: "GIT_SSH_CREDENTIALS", valueFrom: secret("ssh") },
    ]);
    const ca = new Synth(minimalConfig({ git: { credentialsSecretArn: secret("git") }, caCertsSecretArn: secret("ca") }));
    expect(ca.jobDefinition("mi-test-chunk").container.secrets).toEqual([
      { name: "GIT_CREDENTIALS", valueFrom: secret("git") },
      { name: "CA_CERTS", valueFrom: secret("ca") },
    ]);
    expect(c.jobRoleArn).toBe(base.ref("aws_iam_role", "mi-test-chunk-job", "arn"));
    expect(c.executionRoleArn).toBe(base.ref("aws_iam_role", "mi-test-chunk-exec", "arn"));
    expect((c.logConfiguration as { options: Json }).options["awslogs-stream-prefix"]).toBe("chunk");
  });
});

describe("schedule", () => {
  it("daily at midnight UTC by default, submitting the chunk job through the SubmitJob universal target", () => {
    const schedule = base.one("aws_scheduler_schedule");
    expect(schedule).toMatchObject({
      name: "mi-test-nightly",
      schedule_expression: "cron(0 0 * * ? *)",
      schedule_expression_timezone: "UTC",
      state: "ENABLED",
      flexible_time_window: { mode: "OFF" },
    });
    const target = schedule.target as Json;
    expect(target.arn).toBe("arn:aws:scheduler:::aws-sdk:batch:submitJob");
    expect(target.role_arn).toBe(base.ref("aws_iam_role", "mi-test-scheduler", "arn"));
    expect(JSON.parse(target.input as string)).toEqual({
      JobName: "mi-test-chunk",
      JobQueue: base.refOne("aws_batch_job_queue", "arn"),
      JobDefinition: base.ref("aws_batch_job_definition", "mi-test-chunk", "arn"),
    });
  });

  it("any expression and time zone; the switch disables it", () => {
    expect(full.one("aws_scheduler_schedule")).toMatchObject({
      schedule_expression: "cron(30 2 ? * MON-FRI *)",
      schedule_expression_timezone: "Europe/Berlin",
      state: "DISABLED",
    });
  });
});

describe("optional ECR repository and alerts", () => {
  it("ECR: named after the deployment, scanned, encrypted, with a lifecycle policy", () => {
    expect(full.one("aws_ecr_repository")).toMatchObject({
      name: "mi-full",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "AES256" }],
    });
    const lifecycle = full.one("aws_ecr_lifecycle_policy");
    expect(lifecycle.repository).toBe(full.refOne("aws_ecr_repository", "name"));
    expect(JSON.parse(lifecycle.policy as string).rules[0].selection).toEqual({
      tagStatus: "any",
      countType: "imageCountMoreThan",
      countNumber: 10,
    });
  });

  it("alerts: an SNS topic with an e-mail subscription; two rules publish to it (runs and chunk/report jobs, see runs.test.ts)", () => {
    expect(full.one("aws_sns_topic").name).toBe("mi-full-job-failures");
    expect(full.one("aws_sns_topic_subscription")).toMatchObject({
      topic_arn: full.refOne("aws_sns_topic", "arn"),
      protocol: "email",
      endpoint: "ops@example.com",
    });
    const topicPolicy = JSON.parse(full.one("aws_sns_topic_policy").policy as string);
    expect(topicPolicy.Statement).toEqual([
      {
        Sid: "EventBridgePublishesFailures",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["sns:Publish"],
        Resource: [full.refOne("aws_sns_topic", "arn")],
        Condition: {
          ArnEquals: {
            "aws:SourceArn": [
              full.ref("aws_cloudwatch_event_rule", "mi-full-run-failed", "arn"),
              full.ref("aws_cloudwatch_event_rule", "mi-full-job-failed", "arn"),
            ],
          },
        },
      },
    ]);
    for (const rule of ["mi-full-run-failed", "mi-full-job-failed"])
      expect(full.all("aws_cloudwatch_event_target").filter((t) => t.rule === full.ref("aws_cloudwatch_event_rule", rule, "name"))).toEqual(
        [expect.objectContaining({ arn: full.refOne("aws_sns_topic", "arn") })],
      );
  });
});

describe("instance role and profile", () => {
  it("are prefixed by the deployment name and trusted by EC2", () => {
    const profile = base.one("aws_iam_instance_profile");
    expect(profile.name).toBe("mi-test-ecs-instance");
    expect(profile.role).toBe(base.ref("aws_iam_role", "mi-test-ecs-instance", "name"));
    expect(JSON.parse(base.one("aws_iam_role", "mi-test-ecs-instance").assume_role_policy as string).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  it("lets the ECS agent work only in this compute environment's cluster", () => {
    expect(base.statement("mi-test-ecs-instance", "EcsAgent").Resource).toEqual([
      `arn:aws:ecs:us-east-1:${IDENTITY}:cluster/mi-test-compute_Batch_*`,
      `arn:aws:ecs:us-east-1:${IDENTITY}:container-instance/mi-test-compute_Batch_*/*`,
    ]);
  });
});
