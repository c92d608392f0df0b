import { Buffer } from "node:buffer";
import { ModCapabilities, probeCapabilities } from "./cli/capabilities.js";
import { PipelineError } from "./errors.js";
import { ExecaModCli, type ModCli } from "./mod-cli.js";
import type { SecretRedactor } from "./redact.js";

/** Where LSTs go, using the worker environment names of docs/moderne-cli.md. */
export interface PublishSettings {
  /** PUBLISH_URL: `s3://bucket/prefix`, an http(s) Maven/Artifactory repository, or `file://`. */
  url?: string;
  /** PUBLISH_USER / PUBLISH_PASSWORD (Maven basic auth). */
  user?: string;
  password?: string;
  /** PUBLISH_TOKEN (Artifactory API token / bearer). */
  token?: string;
  /** S3_ENDPOINT / S3_PROFILE / S3_REGION (s3:// only). */
  s3Endpoint?: string;
  s3Profile?: string;
  s3Region?: string;
}

/** MODERNE_TENANT / MODERNE_TOKEN. */
export interface TenantSettings {
  tenant?: string;
  token?: string;
}

export type ArtifactStoreKind = "s3" | "maven" | "artifactory";

/**
 * Which artifact store a worker publishes to, by the order of choice in docs/moderne-cli.md:
 * `s3://` URL -> s3; URL + user + password -> maven; URL + token -> artifactory; otherwise none.
 */
export function chooseArtifactStore(publish: PublishSettings): ArtifactStoreKind | undefined {
  if (!publish.url) return undefined;
  if (publish.url.startsWith("s3://")) return "s3";
  if (publish.user && publish.password) return "maven";
  if (publish.token) return "artifactory";
  return undefined;
}

/** What `configureMod` sets up once per worker. */
export interface ModSettings {
  tenant?: TenantSettings;
  publish?: PublishSettings;
  /** MOD_JAVA_OPTIONS: the CLI's JVM options, e.g. "-Xmx4g -Xss3m" (`mod config java options edit`). */
  javaOptions?: string;
}

/** One `mod config ...` call: its arguments and, for a secret the CLI reads from stdin, that input. */
export interface ConfigCall {
  args: string[];
  input?: string;
}

/** How the CLI gets its settings: `mod config` calls, plus environment for every call / for `mod publish` only. */
export interface ConfigurePlan {
  calls: ConfigCall[];
  /** Environment of every later call (MODERNE_OPTS when the CLI has no `config java options edit`). */
  env: Record<string, string>;
  /** Environment of `mod publish` only: the artifact store's MOD_LSTS_ARTIFACTS_* (CLI 4.8+), credentials included. */
  publishEnv: Record<string, string>;
  /** Secret values the plan derived (a Basic authorization): register them with the redactor. */
  secrets: string[];
  /** Deprecated forms used, and what they expose. */
  warnings: string[];
}

/** The CLI version from which MOD_LSTS_ARTIFACTS_* configure the artifact store (4.8+, see docs/moderne-cli.md). */
export const ENV_STORE_SINCE = "4.8.0";

const ARTIFACTS = "config lsts artifacts";

/** The commands configureMod may call for these settings: probe their `--help` first (probeCapabilities). */
export function configureProbes(settings: ModSettings): string[] {
  const probes: string[] = [];
  if (settings.javaOptions?.trim()) probes.push("config java options edit");
  if (settings.tenant?.tenant && settings.tenant.token) probes.push("config moderne edit", "config moderne login");
  const kind = chooseArtifactStore(settings.publish ?? {});
  if (kind === "s3") probes.push(`${ARTIFACTS} s3 edit`);
  else if (kind) probes.push(`${ARTIFACTS} ${kind} add`, `${ARTIFACTS} ${kind} edit`);
  return probes;
}

function tenantCalls(caps: ModCapabilities, tenant: TenantSettings, plan: ConfigurePlan): void {
  if (!tenant.tenant || !tenant.token) return;
  if (caps.has("config moderne login", "--with-token") && caps.has("config moderne edit")) {
    plan.calls.push({ args: ["config", "moderne", "edit", tenant.tenant] });
    plan.calls.push({ args: ["config", "moderne", "login", "--with-token"], input: `${tenant.token}\n` });
    return;
  }
  caps.require("config moderne edit", ["--token"], "for MODERNE_TENANT / MODERNE_TOKEN (no `mod config moderne login --with-token`)");
  plan.calls.push({ args: ["config", "moderne", "edit", `--token=${tenant.token}`, tenant.tenant] });
  plan.warnings.push("this CLI has no `mod config moderne login --with-token`: the tenant token is passed as --token (visible in ps)");
}

/** `add` when the CLI has it, else the deprecated `edit`; throws naming `add` when neither has the options. */
function storeVerb(caps: ModCapabilities, kind: "maven" | "artifactory", options: string[], plan: ConfigurePlan): string[] {
  if (caps.has(`${ARTIFACTS} ${kind} add`, ...options)) return ["config", "lsts", "artifacts", kind, "add"];
  if (caps.has(`${ARTIFACTS} ${kind} edit`, ...options)) {
    plan.warnings.push(`this CLI has no \`mod ${ARTIFACTS} ${kind} add\`: using the deprecated \`edit\``);
    return ["config", "lsts", "artifacts", kind, "edit"];
  }
  caps.require(`${ARTIFACTS} ${kind} add`, options, `for the ${kind} store of PUBLISH_URL`);
  return [];
}

function storeCalls(caps: ModCapabilities, publish: PublishSettings, plan: ConfigurePlan): void {
  const kind = chooseArtifactStore(publish);
  const url = publish.url ?? "";
  if (kind === "s3") {
    const args = ["config", "lsts", "artifacts", "s3", "edit", url];
    const given: [string, string | undefined][] = [
      ["--endpoint-url", publish.s3Endpoint],
      ["--profile", publish.s3Profile],
      ["--region", publish.s3Region],
    ];
    const options: string[] = [];
    for (const [option, value] of given) {
      if (!value) continue;
      args.push(option, value);
      options.push(option);
    }
    caps.require(`${ARTIFACTS} s3 edit`, options, "for the s3:// PUBLISH_URL and its S3_* settings");
    plan.calls.push({ args });
  } else if (kind === "maven") {
    if (caps.atLeast(ENV_STORE_SINCE)) {
      const authorization = `Basic ${Buffer.from(`${publish.user}:${publish.password}`).toString("base64")}`;
      plan.publishEnv.MOD_LSTS_ARTIFACTS_MAVEN_0_URL = url;
      plan.publishEnv.MOD_LSTS_ARTIFACTS_MAVEN_0_AUTHORIZATION = authorization;
      plan.secrets.push(authorization, authorization.slice("Basic ".length));
      return;
    }
    const verb = storeVerb(caps, "maven", ["--user", "--password"], plan);
    plan.calls.push({ args: [...verb, url, "--user", publish.user!, "--password", publish.password!] });
  } else if (kind === "artifactory") {
    if (caps.atLeast(ENV_STORE_SINCE)) {
      plan.publishEnv.MOD_LSTS_ARTIFACTS_ARTIFACTORY_0_URL = url;
      plan.publishEnv.MOD_LSTS_ARTIFACTS_ARTIFACTORY_0_JFROGAPITOKEN = publish.token!;
      return;
    }
    const verb = storeVerb(caps, "artifactory", ["--jfrog-api-token"], plan);
    plan.calls.push({ args: [...verb, url, "--jfrog-api-token", publish.token!] });
  }
}

/**
 * How to give the CLI these settings, in the forms it has (secrets in clear: only ever logged through a
 * SecretRedactor). Throws MOD_CLI_INCAPABLE (exit 2) naming the version, command and option when a setting cannot
 * be given to this CLI.
 */
export function configurePlan(settings: ModSettings, caps: ModCapabilities): ConfigurePlan {
  const plan: ConfigurePlan = { calls: [], env: {}, publishEnv: {}, secrets: [], warnings: [] };
  const javaOptions = settings.javaOptions?.trim();
  if (javaOptions && caps.has("config java options edit")) plan.calls.push({ args: ["config", "java", "options", "edit", javaOptions] });
  else if (javaOptions) plan.env.MODERNE_OPTS = javaOptions;
  tenantCalls(caps, settings.tenant ?? {}, plan);
  storeCalls(caps, settings.publish ?? {}, plan);
  return plan;
}

export interface ConfigureResult {
  /** The store `mod publish` will use, or undefined when this worker cannot publish. */
  store?: ArtifactStoreKind;
  /** The commands run, redacted. */
  commands: string[];
  /** The probed CLI. */
  capabilities: ModCapabilities;
  /** Environment every later call needs (already added to an ExecaModCli). */
  env: Record<string, string>;
  /** Environment `mod publish` needs (the artifact store, credentials included: never log it). */
  publishEnv: Record<string, string>;
  /** Deprecated forms used and what they expose. */
  warnings: string[];
}

/**
 * Configure the CLI once per worker (JVM options, tenant, artifact store) in the forms the probed CLI has (the
 * capabilities given, else probed here). Secrets go by stdin or by `mod publish`'s environment where the CLI allows.
 * Throws MOD_CLI_INCAPABLE (exit 2) when a setting cannot be given to this CLI, and PipelineError CONFIGURE_FAILED (with the
 * redacted command line) when a `mod config` call fails; nothing else has run at that point.
 */
export async function configureMod(
  cli: ModCli,
  settings: ModSettings,
  options: { signal?: AbortSignal; timeoutMs?: number; capabilities?: ModCapabilities; dataDir?: string; redactor?: SecretRedactor } = {},
): Promise<ConfigureResult> {
  const publish = settings.publish ?? {};
  const tenant = settings.tenant ?? {};
  if (publish.url && !chooseArtifactStore(publish)) {
    throw new PipelineError("CONFIG_INVALID", `PUBLISH_URL is set but neither PUBLISH_USER + PUBLISH_PASSWORD nor PUBLISH_TOKEN is`, {
      hint: "Set PUBLISH_USER and PUBLISH_PASSWORD (Maven), PUBLISH_TOKEN (Artifactory), use an s3:// URL, or unset PUBLISH_URL to keep LSTs locally.",
    });
  }
  if (Boolean(tenant.tenant) !== Boolean(tenant.token)) {
    throw new PipelineError("CONFIG_INVALID", `MODERNE_TENANT and MODERNE_TOKEN must be set together`, {
      hint: "Set both to connect to a Moderne tenant, or neither.",
    });
  }
  const { signal } = options;
  const probes = configureProbes(settings);
  // Nothing to configure: nothing to ask the CLI either.
  const capabilities =
    options.capabilities ??
    (probes.length === 0 ? new ModCapabilities(undefined, "(not probed)", {}) : undefined) ??
    (await probeCapabilities(cli, probes, {
      ...(signal ? { signal } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    }));
  const plan = configurePlan(settings, capabilities);
  for (const secret of plan.secrets) options.redactor?.add(secret);
  const commands: string[] = [];
  for (const call of plan.calls) {
    const input = call.input !== undefined ? { input: call.input } : {};
    const result = await cli.run(call.args, { signal, timeoutMs: options.timeoutMs ?? 120_000, ...input });
    commands.push(result.commandLine);
    if (result.exitCode !== 0) {
      throw new PipelineError(
        "CONFIGURE_FAILED",
        `\`${result.commandLine}\` failed (exit ${result.exitCode ?? result.signal ?? "?"}): ${result.outputTail.trim().slice(-500)}`,
        {
          hint: "Check the JVM options (MOD_JAVA_OPTIONS) and the tenant / artifact repository settings (PUBLISH_URL, credentials, S3_* settings).",
        },
      );
    }
  }
  if (Object.keys(plan.env).length && cli instanceof ExecaModCli) cli.addEnv(plan.env);
  const out: ConfigureResult = { commands, capabilities, env: plan.env, publishEnv: plan.publishEnv, warnings: plan.warnings };
  const store = chooseArtifactStore(publish);
  if (store) out.store = store;
  return out;
}
