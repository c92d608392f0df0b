import { BUILD_MEMORY_MIB } from "./build-concurrency.js";
import { DEFAULTS } from "./defaults.js";
import { envVar as v, type EnvVar } from "./env-var.js";

/**
 * Every environment variable the processor and the chunker read: its name (users' deployments depend on these
 * names; keep them), whether its value is a secret (redacted everywhere, never passed to `mod` children), whether
 * it may hold a Secrets Manager ARN that the processor resolves at start, what it means, its kind and its default.
 * The processor's env schema and `--help` are generated from these rows (see env-var.ts).
 */
export type { EnvVar };

const c = DEFAULTS.concurrency;
const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** What the processor reads (the worker environment of every Batch container and local run). */
export const PROCESSOR_ENV = {
  publishUrl: v("PUBLISH_URL", "artifact repository for LSTs and logs: https:// Maven/Artifactory URL or s3://bucket/prefix", {
    kind: "url",
    resolvable: true,
    managed: true,
  }),
  publishUser: v("PUBLISH_USER", "user for the artifact repository (with PUBLISH_PASSWORD)", {
    kind: "string",
    resolvable: true,
    managed: true,
  }),
  publishPassword: v("PUBLISH_PASSWORD", "password for the artifact repository", { kind: "string", secret: true, managed: true }),
  publishToken: v("PUBLISH_TOKEN", "Artifactory API token (instead of user and password)", { kind: "string", secret: true, managed: true }),
  tenant: v("MODERNE_TENANT", "Moderne tenant URL to connect the CLI to (optional)", { kind: "url", resolvable: true, managed: true }),
  tenantToken: v("MODERNE_TOKEN", "token for the Moderne tenant", { kind: "string", secret: true, managed: true }),
  gitCredentials: v("GIT_CREDENTIALS", "contents of a git-credentials store file (https://user:token@host lines)", {
    kind: "string",
    secret: true,
    managed: true,
  }),
  gitSshCredentials: v("GIT_SSH_CREDENTIALS", "an SSH private key for git over ssh", { kind: "pem", secret: true, managed: true }),
  s3Endpoint: v("S3_ENDPOINT", "S3 endpoint override for an s3:// PUBLISH_URL", { kind: "url", managed: true }),
  s3Profile: v("S3_PROFILE", "AWS profile for an s3:// PUBLISH_URL", { kind: "string", managed: true }),
  s3Region: v("S3_REGION", "AWS region of an s3:// PUBLISH_URL", { kind: "string", managed: true }),
  buildTimeout: v("BUILD_TIMEOUT", "seconds one `mod build` may take", {
    kind: "seconds",
    min: 1,
    default: DEFAULTS.buildTimeoutSeconds,
    managed: true,
  }),
  buildUidBase: v(
    "BUILD_UID_BASE",
    "first uid of the build users (uid BASE+slot per build slot, group BASE); set and running as root: each `mod build` runs as its own unprivileged user (the worker image sets 61000)",
    { kind: "integer", min: 1000 },
  ),
  syncTimeout: v("SYNC_TIMEOUT", "seconds one `mod git sync` may take", { kind: "seconds", min: 1, default: DEFAULTS.stepTimeoutSeconds }),
  publishTimeout: v("PUBLISH_TIMEOUT", "seconds one `mod publish` may take", {
    kind: "seconds",
    min: 1,
    default: DEFAULTS.stepTimeoutSeconds,
  }),
  jobTimeout: v(
    "JOB_TIMEOUT",
    "seconds the job may run (the Batch job definition's attempt timeout, set by the stack): the run's deadline is the job's start plus this",
    { kind: "seconds", min: 1, managed: true },
  ),
  runDeadline: v(
    "RUN_DEADLINE",
    "the run's deadline as an ISO time or epoch seconds (wins over JOB_TIMEOUT): no repository starts that cannot finish by then",
    { kind: "time" },
  ),
  stopGrace: v(
    "STOP_GRACE",
    "seconds the processor may take to wind down after the first SIGTERM/SIGINT (report, uploads) before it kills the Moderne CLI and exits",
    { kind: "number", default: 60 },
  ),
  // BATCH_SIZE=0 meant "everything in one batch" in the shell worker; here 0 means the default of 1 per call.
  batchSize: v("BATCH_SIZE", "repositories per `mod` call", { kind: "integer", min: 0, default: DEFAULTS.batchSize, managed: true }),
  dataDir: v("DATA_DIR", "work directory (clones, LSTs, log zips, report)", {
    kind: "path",
    derivedDefault: ".data under the workspace",
    managed: true,
  }),
  modCli: v("MOD_CLI", "the Moderne CLI executable", { kind: "path", derivedDefault: "`mod` on PATH, else the modw wrapper" }),
  mavenRepository: v("MOD_MAVEN_REPOSITORY", "Maven repository of the 4.x modw wrapper: cgp, central, a URL", {
    kind: "string",
    default: "cgp",
  }),
  modwCacheDir: v("MODW_CACHE_DIR", "where a fetched modw wrapper is kept", { kind: "path" }),
  caFile: v("PUBLISH_CA_FILE", "extra CA bundle (PEM) for HTTPS log uploads", { kind: "path" }),
  insecure: v("PUBLISH_INSECURE", "true: do not verify TLS certificates of log uploads", { kind: "boolean", default: false }),
  syncConcurrency: v("SYNC_CONCURRENCY", "parallel `mod git sync` calls", { kind: "integer", min: 1, default: c.sync }),
  buildConcurrency: v("BUILD_CONCURRENCY", "parallel `mod build` calls", {
    kind: "integer",
    min: 1,
    derivedDefault: `one per ${BUILD_MEMORY_MIB / 1024} GiB of the container's memory, or per 2 x -Xmx of MOD_JAVA_OPTIONS when more, at least 1: the AWS Batch job definition sets it so from processor.memoryMiB`,
  }),
  publishConcurrency: v("PUBLISH_CONCURRENCY", "parallel `mod publish` calls", { kind: "integer", min: 1, default: c.publish }),
  maxPending: v("MAX_PENDING", "synced groups waiting for a build slot", { kind: "integer", min: 1, default: c.maxPending }),
  monitorPort: v("MOD_MONITOR_PORT", "run `mod monitor --port PORT` (Prometheus metrics of the CLI) during the run", {
    kind: "integer",
    min: 1,
  }),
  stateUrl: v("STATE_URL", "the state store: a directory or s3://bucket/prefix", {
    kind: "location",
    derivedDefault: "<DATA_DIR>/state for local runs",
    managed: true,
  }),
  caCerts: v(
    "CA_CERTS",
    "corporate CA certificates (PEM file path or PEM text) the worker image's entrypoint imports for git, the JDKs, the CLI and our uploads",
    { kind: "pem", resolvable: true },
  ),
  modJavaOptions: v("MOD_JAVA_OPTIONS", 'JVM options of the Moderne CLI (`mod config java options edit`), e.g. "-Xmx4g -Xss3m"', {
    kind: "string",
  }),
  customCi: v("CUSTOM_CI", "true: the Moderne CLI writes plain CI logs (the worker image sets it)", { kind: "boolean" }),
  diagnoseOnStart: v("DIAGNOSE_ON_START", "true: run `mass-ingest doctor` at the start and stop with exit 2 if a check fails", {
    kind: "boolean",
    default: false,
  }),
  metricsPort: v("METRICS_PORT", "serve Prometheus metrics of the run on this port (local runs)", { kind: "integer", min: 1 }),
  awsRegion: v("AWS_REGION", "AWS region of the SDK clients (Secrets Manager, S3)", { kind: "string", managed: true }),
  logLevel: v("LOG_LEVEL", "log level: debug, info, warn, error", { kind: "enum", values: LOG_LEVELS, default: "info" }),
} as const satisfies Record<string, EnvVar>;

/** What the chunker reads (the nightly chunk job's environment). */
export const CHUNKER_ENV = {
  jobQueue: v("JOB_QUEUE", "AWS Batch job queue the processor jobs go to", { kind: "string" }),
  jobDefinition: v("JOB_DEFINITION", "processor job definition: name, name:revision or ARN", { kind: "string" }),
  largeJobDefinition: v("JOB_DEFINITION_LARGE", "the larger processor job definition a retry runs memory failures on (docs/triage.md)", {
    kind: "string",
  }),
  jobName: v("JOB_NAME", "job name prefix of every job of a run", { kind: "string", default: DEFAULTS.jobName }),
  partitionSize: v("PARTITION_SIZE", "rows per partition", { kind: "integer", min: 1, default: DEFAULTS.partitionSize }),
  runId: v("RUN_ID", "run id for job names and tags (inside Batch: the chunk job's own id)", { kind: "string" }),
  stateUrl: v("STATE_URL", "the state store: a directory or s3://bucket/prefix", {
    kind: "location",
    derivedDefault: "<DATA_DIR>/state for local runs",
  }),
  gitCredentials: v("GIT_CREDENTIALS", "git credentials for the ls-remote pass (the processors' own)", { kind: "string", secret: true }),
  gitSshCredentials: v("GIT_SSH_CREDENTIALS", "SSH private key for the ls-remote pass (the processors' own)", {
    kind: "pem",
    secret: true,
  }),
  caCerts: v(
    "CA_CERTS",
    "corporate CA certificates (PEM file path or PEM text) the worker image's entrypoint imports before the chunker runs",
    { kind: "pem" },
  ),
  awsRegion: v("AWS_REGION", "AWS region of the Batch, S3 and Secrets Manager clients", { kind: "string" }),
  logLevel: v("LOG_LEVEL", "log level: debug, info, warn, error", { kind: "enum", values: LOG_LEVELS, default: "info" }),
  alertsTopicArn: v("ALERTS_TOPIC_ARN", "SNS topic for the chunker's one-off alerts (a stopped fingerprint rollout); unset: logged only", {
    kind: "string",
  }),
} as const satisfies Record<string, EnvVar>;

export type ProcessorEnvKey = keyof typeof PROCESSOR_ENV;
export type ChunkerEnvKey = keyof typeof CHUNKER_ENV;

const all = (table: Record<string, EnvVar>): EnvVar[] => Object.values(table);

/** Processor variables whose values are secrets: resolved, redacted, never passed to `mod`. */
export const SECRET_ENV_NAMES: readonly string[] = all(PROCESSOR_ENV)
  .filter((e) => e.secret)
  .map((e) => e.name);
/** Processor variables resolved from Secrets Manager when they hold an ARN. */
export const RESOLVABLE_ENV_NAMES: readonly string[] = all(PROCESSOR_ENV)
  .filter((e) => e.resolvable)
  .map((e) => e.name);
/** Processor variables the infra stack sets itself (the deployment config's `processor.environment` may not). */
export const MANAGED_PROCESSOR_ENV_NAMES: readonly string[] = all(PROCESSOR_ENV)
  .filter((e) => e.managed)
  .map((e) => e.name);
/** Chunker variables whose values are secrets (the ls-remote pass's git credentials): resolved and redacted. */
export const CHUNKER_SECRET_ENV_NAMES: readonly string[] = all(CHUNKER_ENV)
  .filter((e) => e.secret)
  .map((e) => e.name);
