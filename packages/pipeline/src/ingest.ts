import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { RowRange } from "@mass-ingest/contract";
import { DEFAULTS } from "@mass-ingest/contract";
import { probeCapabilities } from "./cli/capabilities.js";
import { requireRunCalls, runProbes } from "./cli/run-calls.js";
import {
  chooseArtifactStore,
  configureMod,
  configureProbes,
  type ArtifactStoreKind,
  type ModSettings,
  type PublishSettings,
  type TenantSettings,
} from "./configure.js";
import { prepareGitAuth } from "./git-auth.js";
import { availableJdks } from "./triage/remedy.js";
import { logIndex } from "./log-layout.js";
import { createLogStore, type LogStore } from "./log-store.js";
import { IsolatedModCli } from "./isolation/isolated-cli.js";
import { chooseIsolation, lockDataDir } from "./isolation/setup.js";
import type { IngestListener } from "./ingest-events.js";
import type { ExecaModCli, ModCli } from "./mod-cli.js";
import type { PipelineLimits, PipelineObservers, PipelineOptions, PipelineResult, PipelineRows } from "./options.js";
import { runPipeline } from "./pipeline.js";

/** What ingest sets up before the pipeline runs: `mod config`, the log store, git credentials, the monitor, build users. */
export interface IngestSetup {
  /** MODERNE_TENANT / MODERNE_TOKEN. */
  tenant?: TenantSettings;
  /** MOD_JAVA_OPTIONS: the CLI's JVM options (`mod config java options edit`), e.g. "-Xmx4g -Xss3m". */
  javaOptions?: string;
  /** PUBLISH_URL and its credentials / S3 settings: where LSTs go, and the log zips and the report too. */
  publish?: PublishSettings;
  /** PUBLISH_CA_FILE: extra CA bundle for HTTPS log uploads. */
  caFile?: string;
  /** PUBLISH_INSECURE: no TLS verification of log uploads. */
  insecure?: boolean;
  /** GIT_CREDENTIALS: a git-credentials store file's contents (written to `DATA_DIR/.auth` for the run). */
  gitCredentials?: string;
  /** GIT_SSH_CREDENTIALS: a private key. */
  sshKey?: string;
  /** MOD_MONITOR_PORT: run `mod monitor --port PORT` for the duration of the run. */
  monitorPort?: number;
  /**
   * Build isolation (docs/security.md): given, each `mod build` runs as build user `uidBase + slot` when the
   * processor is root (BUILD_UID_BASE); `uidBase` unset or not root: a warning at start says what builds can reach.
   * `extraEnv`: more variable names a build may see. Undefined: builds run as the processor, no warning.
   */
  isolation?: { uidBase?: number; extraEnv?: readonly string[] };
}

/** The Moderne CLI ingest runs, and the environment it finds the JDKs in. */
export interface IngestRunner {
  /**
   * The Moderne CLI runner, created by the caller (which keeps its process groups, to kill them on its way out);
   * the git credential variables are added to its environment for the run.
   */
  cli: ExecaModCli;
  /** Where the run finds the machine's JDKs (`JAVA_HOME*`) and the environment isolated builds start from (default process.env). */
  env?: Record<string, string | undefined>;
}

/**
 * Everything one ingest run needs: the pipeline's rows and limits (they go on to runPipeline unchanged), what
 * ingest sets up itself, the CLI, and the range the run covers.
 */
export interface IngestSettings
  extends PipelineRows, PipelineLimits, Pick<PipelineOptions, "dataDir">, Omit<PipelineObservers, "onEvent">, IngestSetup, IngestRunner {
  /** The rows the run covers (names the logs `START-END`); undefined = the whole csv (`all`). */
  range?: RowRange;
}

/** The CLI the pipeline uses: builds as build users when isolation is asked for and possible (else one warning). */
async function isolatedBuilds(settings: IngestSettings, cli: ModCli, warn: (message: string) => void): Promise<ModCli> {
  if (!settings.isolation) return cli;
  const slots = settings.concurrency?.build ?? DEFAULTS.concurrency.build;
  const choice = chooseIsolation({ ...settings.isolation, slots });
  if (!choice.users) {
    warn(choice.warning!);
    return cli;
  }
  await lockDataDir(settings.dataDir);
  return new IsolatedModCli(cli, {
    users: choice.users,
    parentEnv: settings.env ?? process.env,
    homeRoot: path.join(settings.dataDir, ".build-homes"),
    ...(settings.isolation.extraEnv ? { extraEnv: settings.isolation.extraEnv } : {}),
  });
}

/** `T` when every key of it is one of runPipeline's options, else never: a new ingest-only setting must be left out below. */
type OnlyPipelineOptions<T> = Exclude<keyof T, keyof PipelineOptions> extends never ? T : never;

/** The settings that go on to runPipeline unchanged (rows, limits, data directory, signal, redactor): all but ingest's own. */
function pipelineParts(settings: IngestSettings): PipelineRows & PipelineLimits & Omit<PipelineObservers, "onEvent"> & { dataDir: string } {
  /* eslint-disable @typescript-eslint/no-unused-vars -- the settings ingest uses itself stay here */
  const { range, cli, env, tenant, javaOptions, publish, caFile, insecure, gitCredentials, sshKey, monitorPort, isolation, ...parts } =
    settings;
  /* eslint-enable @typescript-eslint/no-unused-vars */
  return parts satisfies OnlyPipelineOptions<typeof parts>;
}

/** What the setup gave the run: the artifact store, `mod publish`'s environment, the log store. */
interface Setup {
  store?: ArtifactStoreKind;
  publishEnv?: Record<string, string>;
  logStore?: LogStore;
}

/**
 * The CLI's capabilities (before anything touches a repository: a missing command or option stops here, exit 2),
 * `mod config`, and the log store of PUBLISH_URL.
 */
async function setUp(cli: ExecaModCli, settings: IngestSettings, emit: IngestListener): Promise<Setup> {
  const { redactor, signal } = settings;
  const publish = settings.publish ?? {};
  const redact = (s: string) => (redactor ? redactor.redact(s) : s);
  const mod: ModSettings = { tenant: settings.tenant, publish, javaOptions: settings.javaOptions };
  const needs = { publish: chooseArtifactStore(publish) !== undefined, monitor: Boolean(settings.monitorPort) };
  const capabilities = await probeCapabilities(cli, [...runProbes(needs), ...configureProbes(mod)], {
    dataDir: settings.dataDir,
    ...(signal ? { signal } : {}),
  });
  requireRunCalls(capabilities, needs);
  const configured = await configureMod(cli, mod, { ...(signal ? { signal } : {}), capabilities, ...(redactor ? { redactor } : {}) });
  emit({
    type: "configured",
    commands: configured.commands,
    ...(configured.store ? { store: configured.store } : {}),
    ...(capabilities.version ? { cliVersion: capabilities.version } : {}),
    warnings: [...(capabilities.versionWarning ? [capabilities.versionWarning] : []), ...configured.warnings],
  });
  const setup: Setup = { publishEnv: configured.publishEnv };
  if (configured.store) setup.store = configured.store;
  if (!publish.url) return setup;
  // retries stop at the first SIGTERM and at the run's deadline (the attempt under way finishes)
  const stops = {
    onRetry: ({ key, attempt, error }: { key: string; attempt: number; error: string }) =>
      emit({ type: "upload-retry", key, attempt, error: redact(error) }),
    ...(signal ? { stop: signal } : {}),
    ...(settings.deadline ? { deadline: settings.deadline.getTime() } : {}),
  };
  setup.logStore = createLogStore(publish.url, {
    http: {
      ...(publish.user ? { user: publish.user } : {}),
      ...(publish.password ? { password: publish.password } : {}),
      ...(publish.token ? { token: publish.token } : {}),
      ...(settings.caFile ? { caFile: settings.caFile } : {}),
      ...(settings.insecure !== undefined ? { insecure: settings.insecure } : {}),
      ...stops,
    },
    s3: {
      ...stops,
      ...(publish.s3Endpoint ? { endpoint: publish.s3Endpoint } : {}),
      ...(publish.s3Region ? { region: publish.s3Region } : {}),
      ...(publish.s3Profile ? { profile: publish.s3Profile } : {}),
    },
  });
  return setup;
}

/**
 * One worker's run, set up and torn down: git credentials written (0600, under `DATA_DIR/.auth`) and registered
 * with the redactor, their variables added to the caller's ExecaModCli, the CLI's capabilities (`mod --version`, `--help` of each call; cached per
 * version in DATA_DIR), `mod config` for tenant and artifact store (configureMod), the log store of
 * PUBLISH_URL (createLogStore), optionally `mod monitor`, then runPipeline. Afterwards, whatever happened: the
 * monitor is stopped, the log store closed and the credential files removed.
 *
 * Throws what the setup throws (PipelineError MOD_CLI_UNAVAILABLE / MOD_CLI_INCAPABLE / CONFIG_INVALID /
 * CONFIGURE_FAILED / LOG_STORE_URL_INVALID, file
 * errors) before the `start` event, unless the signal was aborted during configuration: then the pipeline still runs (it
 * starts nothing and writes the report with every row not-started). After it, throws what runPipeline throws.
 */
export async function ingest(settings: IngestSettings, listener?: IngestListener): Promise<PipelineResult> {
  const emit: IngestListener = listener ?? (() => {});
  const { redactor, signal } = settings;
  await mkdir(settings.dataDir, { recursive: true });
  const authDir = path.join(settings.dataDir, ".auth");
  const stopMonitor = new AbortController();
  let monitor: Promise<void> | undefined;
  let logStore: LogStore | undefined;
  try {
    const gitEnv = await prepareGitAuth({ gitCredentials: settings.gitCredentials, sshKey: settings.sshKey, dir: authDir, redactor });
    const { cli } = settings;
    cli.addEnv(gitEnv);
    const buildCli = await isolatedBuilds(settings, cli, (message) => emit({ type: "warning", message }));

    let setup: Setup = {};
    try {
      setup = await setUp(cli, settings, emit);
      logStore = setup.logStore;
    } catch (error) {
      // Interrupted while configuring: go on, so the report (nothing run, every row not-started) is still written.
      if (!signal?.aborted) throw error;
    }
    const { store, publishEnv } = setup;

    emit(store ? { type: "start", store } : { type: "start" });
    if (settings.monitorPort) {
      monitor = cli.run(["monitor", "--port", String(settings.monitorPort)], { signal: stopMonitor.signal }).then((r) => {
        if (!stopMonitor.signal.aborted) emit({ type: "monitor-stopped", exitCode: r.exitCode, outputTail: r.outputTail });
      });
    }
    return await runPipeline({
      ...pipelineParts(settings),
      cli: buildCli,
      index: logIndex(settings.range),
      jdks: availableJdks(settings.env ?? process.env),
      publish: store !== undefined,
      store,
      ...(publishEnv ? { publishEnv } : {}),
      logStore,
      onEvent: emit,
    });
  } finally {
    stopMonitor.abort();
    await monitor;
    await logStore?.close?.();
    // The credential files live only as long as the run.
    await rm(authDir, { recursive: true, force: true });
  }
}
