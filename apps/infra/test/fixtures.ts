/** The three configurations the synth tests share: every default, everything on, Fargate. */
import { ACCOUNT, minimalConfig, secret } from "./helpers.js";

/** SPOT with every optional feature switched on. */
export const FULL = minimalConfig({
  name: "mi-full",
  image: { tag: "2026.11.29" },
  ecr: { create: true, imageTagMutability: "IMMUTABLE", keepImages: 10 },
  moderne: { tenant: "https://app.moderne.io", tokenSecretArn: secret("moderne") },
  publish: {
    url: "https://artifactory.example.com/artifactory/lsts",
    userSecretArn: secret("publish", ":username::"),
    passwordSecretArn: secret("publish", ":password::"),
  },
  git: { credentialsSecretArn: secret("git"), sshKeySecretArn: secret("ssh") },
  secretsKmsKeyArns: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
  s3: { endpoint: "https://s3.example.com", region: "eu-west-1", profile: "ingest" },
  csv: "s3://config-bucket/nightly/repos.csv",
  partitionSize: 25,
  compute: {
    type: "SPOT",
    instanceTypes: ["m6a.2xlarge", "m5a.2xlarge"],
    minVcpus: 8,
    maxVcpus: 512,
    bidPercentage: 60,
    rootVolumeGiB: 128,
    createServiceLinkedRole: true,
  },
  processor: {
    vcpus: 8,
    memoryMiB: 30720,
    timeoutSeconds: 7200,
    buildTimeoutSeconds: 1800,
    batchSize: 5,
    retryAttempts: 5,
    environment: { JAVA_TOOL_OPTIONS: "-Xss4m" },
  },
  chunker: { vcpus: 2, memoryMiB: 4096, timeoutSeconds: 900, retryAttempts: 1 },
  schedule: { enabled: false, expression: "cron(30 2 ? * MON-FRI *)", timezone: "Europe/Berlin" },
  network: { metricsPort: 8080, metricsCidr: "10.20.0.0/16" },
  logs: { retentionDays: 30 },
  alerts: { enabled: true, email: "ops@example.com" },
  iam: { permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/platform-boundary` },
  stateBackend: { bucket: "tf-state-bucket", key: "mass-ingest/full.tfstate" },
  tags: { team: "platform" },
});

/** FARGATE_SPOT, an image outside ECR, token publishing, an https csv. */
export const FARGATE = minimalConfig({
  name: "mi-fargate",
  image: { repository: "ghcr.io/example/mass-ingest", tag: "v1" },
  publish: { url: "https://nexus.example.com/repository/lsts", tokenSecretArn: secret("publish-token") },
  csv: "https://config.example.com/repos.csv",
  compute: { type: "FARGATE_SPOT", maxVcpus: 64, assignPublicIp: true, rootVolumeGiB: 100 },
  processor: { vcpus: 4, memoryMiB: 16384 },
});
