import { constants, existsSync } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import path from "node:path";
import { DEFAULTS, PROCESSOR_ENV, SECRET_ENV_NAMES } from "@mass-ingest/contract";
import { findWorkspaceRoot, resolveDataDir, stripUserInfo } from "@mass-ingest/core";
import { PipelineError, type IngestSettings, type IngestSetup, type PipelineLimits, type ResolveModOptions } from "@mass-ingest/pipeline";
import type { JobRowsOptions } from "@mass-ingest/partition";
import { envSchema, type Env } from "./env-schema.js";
import { deriveBuildConcurrency, hostMemory, type DerivedBuildConcurrency, type HostMemory } from "./build-concurrency.js";
import type { ProcessorFlags } from "./program.js";

/**
 * The processor's one settings object: flags + environment (secrets resolved), validated once. Each part goes
 * unchanged to the library that uses it: `rows` to selectJobRows, `mod` to resolveModCommand, `ingest` to ingest.
 */
export interface ProcessorSettings {
  /** selectJobRows's options, without the opener and the array index. */
  rows: Omit<JobRowsOptions, "open" | "arrayIndex">;
  /** resolveModCommand's options, without PATH. */
  mod: Omit<ResolveModOptions, "pathEnv">;
  /**
   * ingest's settings that come from configuration: the pipeline's limits and ingest's setup (the rows, the plan's
   * predictions and remedies, the CLI, env, redactor and signal come at run time).
   */
  ingest: Pick<IngestSettings, "dataDir" | "runId"> & PipelineLimits & IngestSetup;
  /** Set when BUILD_CONCURRENCY came from the container's memory (neither the flag nor the variable was given). */
  derivedBuildConcurrency?: DerivedBuildConcurrency;
  /** --json / --no-progress. */
  output: { json: boolean; progress: boolean };
  /** `--plan <manifest>` (unset for "none"): the rows come from the run's plan in the state store. */
  plan?: string;
  /**
   * The state store a run of the processor alone selects from (`--state`, STATE_URL, default `<DATA_DIR>/state`;
   * unset with `--no-state`). Used only without `--plan`, on the whole csv, outside AWS Batch.
   */
  state?: string;
  /** The state selection's `--full` and `--max-age` (as the chunker's); only with a state store. */
  selection?: { full: boolean; maxAgeMs?: number };
  /** `--metrics-port` / METRICS_PORT: serve this run's Prometheus metrics while it runs. */
  metricsPort?: number;
}

const E = PROCESSOR_ENV;

/** The workspace root (folder with pnpm-workspace.yaml) above `from`, if any: core's, one rule for every app. */
export { findWorkspaceRoot };

/** Only the values that are set (the pipeline fills in the defaults of the others). */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const seconds = (s: number | undefined) => (s === undefined ? undefined : s * 1000);

/**
 * The run's deadline: RUN_DEADLINE (an ISO time or epoch seconds), else the job's start (this process's start)
 * plus JOB_TIMEOUT seconds (the stack sets it from the job definition's attempt timeout); none without either.
 */
export function runDeadline(rawEnv: Record<string, string | undefined>, startedAt: number): Date | undefined {
  const given = rawEnv[E.runDeadline.name]?.trim();
  if (given) {
    const at = /^\d+$/.test(given) ? Number(given) * 1000 : Date.parse(given);
    if (!Number.isFinite(at)) {
      throw new PipelineError("CONFIG_INVALID", `${E.runDeadline.name}="${given}" is neither an ISO time nor epoch seconds.`, {
        hint: `Set ${E.runDeadline.name} to e.g. 2026-12-03T05:00:00Z, or unset it.`,
      });
    }
    return new Date(at);
  }
  const timeout = rawEnv[E.jobTimeout.name]?.trim();
  return timeout && /^\d+$/.test(timeout) ? new Date(startedAt + Number(timeout) * 1000) : undefined;
}

type Read = { s: (name: string) => string | undefined; n: (name: string) => number | undefined };

function readers(env: Env): Read {
  return { s: (name) => env[name] as string | undefined, n: (name) => env[name] as number | undefined };
}

/** The pipeline's limits: rows per call, stage concurrency, step timeouts (the deadline: deadlineOf). */
function limitsOf(flags: ProcessorFlags, { n }: Read): PipelineLimits {
  return {
    batchSize: (flags.batchSize ?? n(E.batchSize.name)) || DEFAULTS.batchSize,
    concurrency: defined({
      sync: flags.syncConcurrency ?? n(E.syncConcurrency.name),
      build: flags.buildConcurrency ?? n(E.buildConcurrency.name),
      publish: flags.publishConcurrency ?? n(E.publishConcurrency.name),
      maxPending: flags.maxPending ?? n(E.maxPending.name),
    }),
    buildTimeoutMs: (flags.timeout ?? n(E.buildTimeout.name) ?? DEFAULTS.buildTimeoutSeconds) * 1000,
    stepTimeoutsMs: defined({ sync: seconds(n(E.syncTimeout.name)), publish: seconds(n(E.publishTimeout.name)) }),
  };
}

/** What ingest sets up: tenant, JVM options, the artifact and log store, git credentials, monitor, build users. */
function setupOf(flags: ProcessorFlags, { s, n }: Read): IngestSetup {
  return {
    tenant: { tenant: s(E.tenant.name), token: s(E.tenantToken.name) },
    javaOptions: s(E.modJavaOptions.name),
    publish: {
      url: flags.publishUrl || s(E.publishUrl.name),
      user: flags.publishUser || s(E.publishUser.name),
      password: s(E.publishPassword.name),
      token: s(E.publishToken.name),
      s3Endpoint: s(E.s3Endpoint.name),
      s3Profile: s(E.s3Profile.name),
      s3Region: s(E.s3Region.name),
    },
    caFile: flags.caFile || s(E.caFile.name),
    insecure: flags.insecure || /^(1|true|yes)$/i.test(s(E.insecure.name) ?? ""),
    gitCredentials: s(E.gitCredentials.name),
    sshKey: s(E.gitSshCredentials.name),
    monitorPort: flags.monitorPort ?? n(E.monitorPort.name),
    // Builds as unprivileged users when BUILD_UID_BASE is set and the processor is root; else one warning at start.
    isolation: defined({ uidBase: n(E.buildUidBase.name) }),
  };
}

/**
 * Flags + environment (already secret-resolved) -> the settings. Flags win. Throws PipelineError CONFIG_INVALID
 * (exit 2) naming the variable for a malformed value or a missing CA file.
 */
export function readSettings(
  csv: string | undefined,
  flags: ProcessorFlags,
  rawEnv: Record<string, string | undefined>,
  cwd: string,
  memory: () => HostMemory = () => hostMemory(),
): ProcessorSettings {
  const parsed = envSchema.safeParse(rawEnv);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new PipelineError("CONFIG_INVALID", issue.message, { hint: `Set ${name} to a whole number, or unset it for the default.` });
  }
  const env: Env = parsed.data;
  const root = findWorkspaceRoot(cwd) ?? cwd;
  // DATA_DIR: the same rule in every app (core's resolveDataDir).
  const dataDir = resolveDataDir(flags.dataDir, { DATA_DIR: env[E.dataDir.name] as string | undefined }, cwd);
  const settings: ProcessorSettings = {
    rows: {
      csv: csv ?? path.join(root, "repos.csv"),
      start: flags.start,
      end: flags.end,
      partitions: flags.partitions,
      partitionSize: flags.partitionSize,
      rowCount: flags.rowCount,
      organization: flags.organization,
    },
    mod: {
      modCli: flags.modCli || (env[E.modCli.name] as string | undefined),
      mavenRepository: flags.mavenRepository || (env[E.mavenRepository.name] as string | undefined),
      cacheDir: env[E.modwCacheDir.name] as string | undefined,
    } as ProcessorSettings["mod"],
    ingest: { dataDir, runId: flags.runId, ...limitsOf(flags, readers(env)), ...deadlineOf(rawEnv), ...setupOf(flags, readers(env)) },
    output: { json: flags.json, progress: flags.progress },
    ...metricsOf(flags, env),
    ...(flags.plan && flags.plan.trim() !== "none" ? { plan: flags.plan.trim() } : {}),
    ...stateOf(flags, env, cwd, dataDir),
    ...(flags.full || flags.maxAge !== undefined
      ? { selection: { full: flags.full === true, ...(flags.maxAge !== undefined ? { maxAgeMs: flags.maxAge } : {}) } }
      : {}),
  };
  if (settings.ingest.concurrency?.build === undefined) {
    // No BUILD_CONCURRENCY: as many builds as the container's memory holds (see deriveBuildConcurrency).
    settings.derivedBuildConcurrency = deriveBuildConcurrency(memory(), settings.ingest.javaOptions);
    settings.ingest.concurrency = { ...settings.ingest.concurrency, build: settings.derivedBuildConcurrency.build };
  }
  checkPublishScheme(settings.ingest.publish?.url);
  const caFile = settings.ingest.caFile;
  if (caFile && !existsSync(caFile)) {
    throw new PipelineError("CONFIG_INVALID", `${E.caFile.name} ${caFile} does not exist.`, {
      hint: `Point ${E.caFile.name} / --ca-file at a PEM bundle.`,
    });
  }
  return settings;
}

/** The run's deadline from the environment; the job started when this process did. */
function deadlineOf(rawEnv: Record<string, string | undefined>): { deadline?: Date } {
  const deadline = runDeadline(rawEnv, Date.now() - process.uptime() * 1000);
  return deadline ? { deadline } : {};
}

/** PUBLISH_URL's scheme, checked first: an ftp:// URL is named as such, before any complaint about its credentials. */
function checkPublishScheme(url: string | undefined): void {
  if (!url || /^(s3|https?|file):\/\//i.test(url.trim())) return;
  throw new PipelineError("LOG_STORE_URL_INVALID", `${E.publishUrl.name} ${stripUserInfo(url)} is not s3://, http(s):// or file://.`, {
    hint: "Use the artifact repository URL the CLI publishes to (https://..., s3://bucket/prefix or file:///dir).",
  });
}

/**
 * DATA_DIR exists (created when missing) and is writable, checked before anything runs: CONFIG_INVALID (exit 2)
 * naming DATA_DIR otherwise, not a bare EACCES later, nor a complaint about the state store inside it.
 */
export async function checkDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new PipelineError("CONFIG_INVALID", `${E.dataDir.name} ${dataDir} cannot be used as the work directory (${code}).`, {
      hint: `Point ${E.dataDir.name} (or --data-dir) at a writable directory; the processor keeps clones, logs and the state there.`,
    });
  }
}

/** `--metrics-port`, else METRICS_PORT. */
function metricsOf(flags: ProcessorFlags, env: Env): { metricsPort?: number } {
  const port = flags.metricsPort ?? (env[E.metricsPort.name] as number | undefined);
  return port === undefined ? {} : { metricsPort: port };
}

/** `--state`, else STATE_URL, else `<DATA_DIR>/state`; none with `--no-state`. */
function stateOf(flags: ProcessorFlags, env: Env, cwd: string, dataDir: string): { state?: string } {
  if (flags.state === false) return {};
  const given = (flags.state || (env[E.stateUrl.name] as string | undefined))?.trim();
  if (given) return { state: /^s3:\/\//i.test(given) ? given : path.resolve(cwd, given) };
  return { state: path.join(dataDir, "state") };
}

/** The environment for `mod` children: ours minus every secret variable (ingest adds the git auth variables). */
export function childEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_ENV_NAMES) delete out[name];
  return out;
}
