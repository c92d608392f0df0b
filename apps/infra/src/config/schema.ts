/**
 * The typed, validated deployment config: the CDKTF equivalent of terraform.tfvars. One `DeploymentConfig` per
 * environment (one stack each). Every field has a default except the ones that only the platform team can know
 * (name, region, VPC, subnets, image, publish URL).
 */
import { DEFAULTS } from "@mass-ingest/contract";
import { z } from "zod";
import {
  CIDR,
  CSV_LOCATION,
  IMAGE_REPOSITORY,
  KMS_KEY_ARN,
  PUBLISH_URL,
  S3_OBJECT_OR_PREFIX,
  SCHEDULE,
  bool,
  int,
  secretArn,
  stringMap,
  text,
} from "./fields.js";
import { egressSchema } from "./egress-fields.js";
import { checkDeploymentRules } from "./rules.js";
import { alarmsSchema, dashboardSchema, reportSchema, stateSchema } from "./run-fields.js";

/** CloudWatch Logs accepts only these retention values (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const COMPUTE_TYPES = ["EC2", "SPOT", "FARGATE", "FARGATE_SPOT"] as const;
export type ComputeType = (typeof COMPUTE_TYPES)[number];

/** Every field on its own; {@link DeploymentConfigSchema} adds the rules across fields. */
export const DeploymentFieldsSchema = z.strictObject({
  /** Prefix of every resource name; two deployments with different names live in one account. */
  name: text("lowercase letters, digits and dashes, 2-32 chars, starting with a letter", /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/),
  region: text("an AWS region such as us-east-1", /^[a-z]{2}(-gov)?-[a-z]+-\d$/),
  /**
   * The AWS account this environment deploys to. Optional: when set, Terraform refuses other accounts'
   * credentials, and the loader can tell environments in different accounts apart.
   */
  accountId: text("a 12-digit AWS account id", /^\d{12}$/).optional(),
  vpcId: text("a VPC id such as vpc-0123abcd", /^vpc-[0-9a-f]{8,17}$/),
  subnetIds: z
    .array(text("a subnet id such as subnet-0123abcd", /^subnet-[0-9a-f]{8,17}$/), {
      error: (iss) =>
        iss.input === undefined
          ? 'is missing: set it to the private subnets the jobs run in, e.g. ["subnet-0123abcd"]'
          : "must be a list of subnet ids",
    })
    .min(1, { error: "must name at least one subnet" }),
  image: z
    .strictObject({
      /** Image repository URI without tag; omit when `ecr.create` is true (the created repository is used). */
      repository: text(
        "an image repository URI without tag, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/mass-ingest",
        IMAGE_REPOSITORY,
      ).optional(),
      tag: text("an image tag such as 1.4.0 or a git sha", /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/).default("latest"),
      /** Pin the image by digest (`repository@sha256:…`): wins over `tag`, so a re-pushed tag changes nothing. */
      digest: text("an image digest sha256:<64 hex digits>", /^sha256:[0-9a-f]{64}$/).optional(),
    })
    .prefault({}),
  ecr: z
    .strictObject({
      create: bool().default(false),
      imageTagMutability: z.enum(["MUTABLE", "IMMUTABLE"], { error: "must be MUTABLE or IMMUTABLE" }).default("MUTABLE"),
      scanOnPush: bool().default(true),
      /** Lifecycle policy: keep this many most recent images. */
      keepImages: int("images to keep", 1, 1000).default(30),
    })
    .prefault({}),
  moderne: z
    .strictObject({
      tenant: text("the Moderne tenant, e.g. https://app.moderne.io").optional(),
      tokenSecretArn: secretArn().optional(),
    })
    .prefault({}),
  publish: z.strictObject(
    {
      url: text("s3://bucket/prefix or the https:// URL of a Maven/Artifactory repository", PUBLISH_URL),
      userSecretArn: secretArn().optional(),
      passwordSecretArn: secretArn().optional(),
      tokenSecretArn: secretArn().optional(),
    },
    {
      error: (iss) =>
        iss.input === undefined
          ? 'is missing: add { "url": "s3://bucket/prefix" } or an https:// Maven URL with secrets'
          : "must be an object",
    },
  ),
  git: z
    .strictObject({
      /** Secret whose value is a git-credentials store file (https://user:token@host lines). */
      credentialsSecretArn: secretArn().optional(),
      /** Secret whose value is an SSH private key. */
      sshKeySecretArn: secretArn().optional(),
    })
    .prefault({}),
  /** Customer-managed KMS keys that encrypt the secrets above (the execution role may decrypt with them). */
  secretsKmsKeyArns: z.array(text("a KMS key ARN", KMS_KEY_ARN)).default([]),
  s3: z
    .strictObject({
      endpoint: text("an http(s) URL", /^https?:\/\/\S+$/).optional(),
      region: text("an AWS region such as us-east-1", /^[a-z]{2}(-gov)?-[a-z]+-\d$/).optional(),
      profile: text("an AWS profile name").optional(),
    })
    .prefault({}),
  /** The repos.csv the nightly run ingests: a path in the image, s3://bucket/key or http(s)://. */
  csv: text("an absolute path in the image, s3://bucket/key or http(s)://", CSV_LOCATION).default(DEFAULTS.csv),
  /**
   * The run-state store (STATE_URL of the processor and the chunker): s3://bucket/prefix. Both job roles may read,
   * write and delete objects under the prefix and list it. Omitted: the apps keep no state between runs in AWS.
   */
  stateUrl: text("s3://bucket/prefix", /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/\S*)?$/).optional(),
  /** The run-state store the stack creates (`state.create`, default when `stateUrl` is not given). */
  state: stateSchema,
  /** Corporate CA certificates (PEM text) as a secret: CA_CERTS of the processor, the chunk and the report job. */
  caCertsSecretArn: secretArn().optional(),
  /**
   * More repos.csv files in S3 that a manual run may name (`--parameters csv=...`): s3://bucket/key objects, or
   * s3://bucket/prefix/ for every object under a prefix. The chunk and processor job roles may read these too.
   */
  additionalCsvs: z.array(text("s3://bucket/key, or s3://bucket/prefix/ for every object under it", S3_OBJECT_OR_PREFIX)).default([]),
  partitionSize: int("rows per partition", 1, 100_000).default(DEFAULTS.partitionSize),
  compute: z
    .strictObject({
      type: z.enum(COMPUTE_TYPES, { error: `must be one of ${COMPUTE_TYPES.join(", ")}` }).default("EC2"),
      instanceTypes: z
        .array(text("an EC2 instance type such as m6a.xlarge"))
        .min(1, { error: "must name at least one instance type" })
        .default(["m6a.xlarge"]),
      minVcpus: int("vCPUs kept running when idle", 0, 100_000).default(0),
      maxVcpus: int("vCPUs at most", 1, 100_000).default(256),
      /** SPOT only: the highest Spot price as a percentage of On-Demand. */
      bidPercentage: int("percent of the On-Demand price", 1, 100).default(100),
      /** Root volume (EC2/SPOT) or ephemeral storage (Fargate, 21-200) in GiB. */
      rootVolumeGiB: int("GiB", 21, 16_384).default(64),
      /** Fargate only: give tasks a public IP (needed in public subnets without a NAT gateway). */
      assignPublicIp: bool().default(false),
      /** Create the AWSServiceRoleForBatch service-linked role (most accounts already have it). */
      createServiceLinkedRole: bool().default(false),
      /** ECS-optimized AMI family for EC2/SPOT. */
      imageType: z
        .enum(["ECS_AL2023", "ECS_AL2", "ECS_AL2_NVIDIA", "ECS_AL2023_NVIDIA"], {
          error: "must be ECS_AL2023, ECS_AL2, ECS_AL2_NVIDIA or ECS_AL2023_NVIDIA",
        })
        .default("ECS_AL2023"),
    })
    .prefault({}),
  processor: z
    .strictObject({
      vcpus: int("vCPUs per processor container", 1, 192).default(DEFAULTS.processorVcpus),
      memoryMiB: int("MiB per processor container", 512, 1_572_864).default(15_360),
      /**
       * A second processor job definition with this much memory (one build at a time): `retry` runs the
       * repositories that failed for memory on it (docs/triage.md). None when omitted.
       */
      largeMemoryMiB: int("MiB per large processor container", 512, 1_572_864).optional(),
      timeoutSeconds: int("seconds before Batch stops a processor attempt", 60, 1_209_600).default(DEFAULTS.processorTimeoutSeconds),
      /** BUILD_TIMEOUT: seconds one `mod build` may take. */
      buildTimeoutSeconds: int("seconds per mod build", 60, 86_400).default(DEFAULTS.buildTimeoutSeconds),
      /** BATCH_SIZE: repositories per `mod` call; the processor's default when omitted. */
      batchSize: int("repositories per mod call", 1, 10_000).optional(),
      /** Attempts per child (Spot reclaims are retried, application failures are not). */
      retryAttempts: int("attempts", 1, 10).default(3),
      /** MOD_JAVA_OPTIONS: JVM options of the Moderne CLI, e.g. "-Xmx4g -Xss3m" (or set it in `environment`). */
      modJavaOptions: text("JVM options such as -Xmx4g -Xss3m").optional(),
      /**
       * Run the processor container as root so that each `mod build` drops to its own unprivileged build user
       * (docs/security.md). Off by default until a real image shows `mod build` finds the CLI as a build user.
       */
      isolateBuilds: z.boolean().default(false),
      /** Extra plain environment variables (never secrets: use the *SecretArn fields for those). */
      environment: stringMap().default({}),
    })
    .prefault({}),
  chunker: z
    .strictObject({
      vcpus: int("vCPUs for the chunk job", 1, 16).default(1),
      memoryMiB: int("MiB for the chunk job", 512, 122_880).default(2048),
      timeoutSeconds: int("seconds before Batch stops the chunk job", 60, 86_400).default(1800),
      retryAttempts: int("attempts", 1, 10).default(2),
    })
    .prefault({}),
  schedule: z
    .strictObject({
      enabled: bool().default(true),
      expression: text("cron(0 0 * * ? *), rate(1 day) or at(2030-01-01T00:00:00)", SCHEDULE).default("cron(0 0 * * ? *)"),
      timezone: text("an IANA time zone such as UTC or Europe/Berlin", /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/).default("UTC"),
    })
    .prefault({}),
  network: z
    .strictObject({
      /**
       * The `mod monitor` Prometheus endpoint: the processor runs it on this port (MOD_MONITOR_PORT) and the
       * security group opens the port to `metricsCidr`. EC2 jobs use host networking (the port is on the instance),
       * Fargate jobs awsvpc (on the task's own address); neither needs port mappings.
       */
      metricsPort: int("TCP port", 1, 65_535).optional(),
      metricsCidr: text("an IPv4 CIDR such as 10.0.0.0/16", CIDR).optional(),
      egress: egressSchema,
    })
    .prefault({}),
  logs: z
    .strictObject({
      retentionDays: z
        .number({ error: "must be a number of days" })
        .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
          error: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
        })
        .default(7),
      /** Encrypt the log group with this customer-managed KMS key (its key policy must allow CloudWatch Logs). */
      kmsKeyArn: text("a KMS key ARN", KMS_KEY_ARN).optional(),
    })
    .prefault({}),
  alerts: z
    .strictObject({
      /** An SNS topic and an EventBridge rule for FAILED jobs of this queue. */
      enabled: bool().default(false),
      email: z.email({ error: "is malformed: expected an e-mail address" }).optional(),
      /** Encrypt the SNS topic with this customer-managed KMS key (its key policy must allow EventBridge and CloudWatch). */
      kmsKeyArn: text("a KMS key ARN", KMS_KEY_ARN).optional(),
    })
    .prefault({}),
  report: reportSchema,
  dashboard: dashboardSchema,
  alarms: alarmsSchema,
  iam: z
    .strictObject({
      /** Attach this permissions boundary to every role the stack creates. */
      permissionsBoundaryArn: text("an IAM policy ARN", /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/\S+$/).optional(),
      /**
       * Give the ECS instance role the AWS managed AmazonEC2ContainerServiceforEC2Role instead of the policy
       * scoped to this compute environment's cluster (a fallback if the ECS agent ever needs more).
       */
      managedInstancePolicy: bool().default(false),
    })
    .prefault({}),
  /** Keep Terraform state in S3 instead of the local file. */
  stateBackend: z
    .strictObject({
      bucket: text("an S3 bucket name", /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
      key: text("the state object key, e.g. mass-ingest/prod.tfstate"),
      region: text("an AWS region such as us-east-1", /^[a-z]{2}(-gov)?-[a-z]+-\d$/).optional(),
    })
    .optional(),
  tags: stringMap().default({}),
});

/** The deployment config of one environment: every field, then the rules across fields. */
export const DeploymentConfigSchema = DeploymentFieldsSchema.superRefine(checkDeploymentRules);

/** The validated config of one deployment (one stack), defaults filled in. */
export type DeploymentConfig = z.output<typeof DeploymentConfigSchema>;
/** What a user writes: only the required fields, everything else optional. */
export type DeploymentConfigInput = z.input<typeof DeploymentConfigSchema>;

/** The config file: shared defaults merged under every environment (one stack per environment). */
export const ConfigFileSchema = z.strictObject({
  $schema: z.string().optional(),
  defaults: z.record(z.string(), z.unknown()).optional(),
  environments: z.record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: "environment names are letters, digits, _ and -" }),
    z.record(z.string(), z.unknown()),
    { error: (iss) => (iss.input === undefined ? "is missing: add at least one environment" : "must be an object of environments") },
  ),
});
