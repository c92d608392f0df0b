import { existsSync } from "node:fs";
import path from "node:path";
import { PipelineError } from "@mass-ingest/pipeline";
import type { ProcessorArgs } from "./args.js";

/** Environment names of MODERNE_CLI.md (users' deployments depend on them) plus the processor's own. */
export const ENV = {
  publishUrl: "PUBLISH_URL",
  publishUser: "PUBLISH_USER",
  publishPassword: "PUBLISH_PASSWORD",
  publishToken: "PUBLISH_TOKEN",
  tenant: "MODERNE_TENANT",
  tenantToken: "MODERNE_TOKEN",
  gitCredentials: "GIT_CREDENTIALS",
  gitSshCredentials: "GIT_SSH_CREDENTIALS",
  s3Endpoint: "S3_ENDPOINT",
  s3Profile: "S3_PROFILE",
  s3Region: "S3_REGION",
  buildTimeout: "BUILD_TIMEOUT",
  batchSize: "BATCH_SIZE",
  dataDir: "DATA_DIR",
  modCli: "MOD_CLI",
  mavenRepository: "MOD_MAVEN_REPOSITORY",
  modwCacheDir: "MODW_CACHE_DIR",
  caFile: "PUBLISH_CA_FILE",
  insecure: "PUBLISH_INSECURE",
  syncConcurrency: "SYNC_CONCURRENCY",
  buildConcurrency: "BUILD_CONCURRENCY",
  publishConcurrency: "PUBLISH_CONCURRENCY",
  maxPending: "MAX_PENDING",
  monitorPort: "MOD_MONITOR_PORT",
} as const;

/** Variables that may hold secrets (or Secrets Manager ARNs of secrets): resolved, redacted, never passed to `mod`. */
export const SECRET_ENV_NAMES = [
  ENV.publishPassword,
  ENV.publishToken,
  ENV.tenantToken,
  ENV.gitCredentials,
  ENV.gitSshCredentials,
] as const;

/** Variables resolved from Secrets Manager when they hold an ARN. */
export const RESOLVABLE_ENV_NAMES = [...SECRET_ENV_NAMES, ENV.publishUrl, ENV.publishUser, ENV.tenant] as const;

export interface ProcessorConfig {
  csv: string;
  dataDir: string;
  buildTimeoutMs: number;
  batchSize: number;
  publishUrl?: string;
  publishUser?: string;
  publishPassword?: string;
  publishToken?: string;
  tenant?: string;
  tenantToken?: string;
  gitCredentials?: string;
  gitSshKey?: string;
  s3Endpoint?: string;
  s3Profile?: string;
  s3Region?: string;
  caFile?: string;
  insecure: boolean;
  modCli?: string;
  mavenRepository?: string;
  modwCacheDir?: string;
  concurrency: { sync?: number; build?: number; publish?: number; maxPending?: number };
  /** Port for `mod monitor` during the run; unset = no monitor. */
  monitorPort?: number;
}

/** The workspace root (folder with pnpm-workspace.yaml) above `from`, if any. */
export function findWorkspaceRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function intFrom(env: Record<string, string | undefined>, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) {
    throw new PipelineError("CONFIG_INVALID", `${name}="${raw}" is not a whole number >= ${min}.`, { hint: `Set ${name} to a whole number, or unset it for the default.` });
  }
  return Number(raw);
}

const nonEmpty = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);

/** Environment (already secret-resolved) + flags -> configuration. Flags win. Throws PipelineError CONFIG_INVALID (exit 2). */
export function loadConfig(args: ProcessorArgs, env: Record<string, string | undefined>, cwd: string): ProcessorConfig {
  const root = findWorkspaceRoot(cwd);
  const csv = args.csv ?? path.join(root ?? cwd, "repos.csv");
  const dataDir = path.resolve(cwd, args.dataDir ?? nonEmpty(env[ENV.dataDir]) ?? path.join(root ?? cwd, ".data"));
  const timeoutS = args.timeout ?? intFrom(env, ENV.buildTimeout, 1) ?? 2700;
  // BATCH_SIZE=0 meant "everything in one batch" in the shell worker; here 0 means the default of 1 per call.
  const batchSize = (args.batchSize ?? intFrom(env, ENV.batchSize, 0)) || 1;
  // Only the limits that are set: runPipeline fills in its defaults for the others.
  const concurrency: ProcessorConfig["concurrency"] = {};
  const sync = args.syncConcurrency ?? intFrom(env, ENV.syncConcurrency, 1);
  const build = args.buildConcurrency ?? intFrom(env, ENV.buildConcurrency, 1);
  const publish = args.publishConcurrency ?? intFrom(env, ENV.publishConcurrency, 1);
  const maxPending = args.maxPending ?? intFrom(env, ENV.maxPending, 1);
  if (sync !== undefined) concurrency.sync = sync;
  if (build !== undefined) concurrency.build = build;
  if (publish !== undefined) concurrency.publish = publish;
  if (maxPending !== undefined) concurrency.maxPending = maxPending;
  const config: ProcessorConfig = {
    csv,
    dataDir,
    buildTimeoutMs: timeoutS * 1000,
    batchSize,
    publishUrl: nonEmpty(args.publishUrl) ?? nonEmpty(env[ENV.publishUrl]),
    publishUser: nonEmpty(args.publishUser) ?? nonEmpty(env[ENV.publishUser]),
    publishPassword: nonEmpty(env[ENV.publishPassword]),
    publishToken: nonEmpty(env[ENV.publishToken]),
    tenant: nonEmpty(env[ENV.tenant]),
    tenantToken: nonEmpty(env[ENV.tenantToken]),
    gitCredentials: nonEmpty(env[ENV.gitCredentials]),
    gitSshKey: nonEmpty(env[ENV.gitSshCredentials]),
    s3Endpoint: nonEmpty(env[ENV.s3Endpoint]),
    s3Profile: nonEmpty(env[ENV.s3Profile]),
    s3Region: nonEmpty(env[ENV.s3Region]),
    caFile: nonEmpty(args.caFile) ?? nonEmpty(env[ENV.caFile]),
    insecure: args.insecure || /^(1|true|yes)$/i.test(env[ENV.insecure] ?? ""),
    modCli: nonEmpty(args.modCli) ?? nonEmpty(env[ENV.modCli]),
    mavenRepository: nonEmpty(args.mavenRepository) ?? nonEmpty(env[ENV.mavenRepository]),
    modwCacheDir: nonEmpty(env[ENV.modwCacheDir]),
    concurrency,
    monitorPort: args.monitorPort ?? intFrom(env, ENV.monitorPort, 1),
  };
  if (config.caFile && !existsSync(config.caFile)) {
    throw new PipelineError("CONFIG_INVALID", `PUBLISH_CA_FILE ${config.caFile} does not exist.`, { hint: "Point PUBLISH_CA_FILE / --ca-file at a PEM bundle." });
  }
  return config;
}

/** The environment for `mod` children: ours minus every secret variable (ingest adds the git auth variables). */
export function childEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_ENV_NAMES) delete out[name];
  return out;
}
