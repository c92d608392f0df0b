import { PipelineError } from "./errors.js";
import type { ModCli } from "./mod-cli.js";

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

/** The `mod config ...` argument lists for these settings (secrets in clear: only ever logged through a SecretRedactor). */
export function configureCommands(settings: ModSettings): string[][] {
  const tenant = settings.tenant ?? {};
  const publish = settings.publish ?? {};
  const commands: string[][] = [];
  if (settings.javaOptions?.trim()) commands.push(["config", "java", "options", "edit", settings.javaOptions.trim()]);
  if (tenant.tenant && tenant.token) {
    commands.push(["config", "moderne", "edit", `--token=${tenant.token}`, tenant.tenant]);
  }
  const kind = chooseArtifactStore(publish);
  const url = publish.url ?? "";
  if (kind === "s3") {
    const args = ["config", "lsts", "artifacts", "s3", "edit", url];
    if (publish.s3Endpoint) args.push("--endpoint", publish.s3Endpoint);
    if (publish.s3Profile) args.push("--profile", publish.s3Profile);
    if (publish.s3Region) args.push("--region", publish.s3Region);
    commands.push(args);
  } else if (kind === "maven") {
    commands.push(["config", "lsts", "artifacts", "maven", "edit", url, "--user", publish.user!, "--password", publish.password!]);
  } else if (kind === "artifactory") {
    commands.push(["config", "lsts", "artifacts", "artifactory", "edit", url, "--jfrog-api-token", publish.token!]);
  }
  return commands;
}

export interface ConfigureResult {
  /** The store `mod publish` will use, or undefined when this worker cannot publish. */
  store?: ArtifactStoreKind;
  /** The commands run, redacted. */
  commands: string[];
}

/**
 * Configure the CLI once per worker (JVM options, tenant, artifact store). Throws PipelineError CONFIGURE_FAILED (with the
 * redacted command line) when a `mod config` call fails; nothing else has run at that point.
 */
export async function configureMod(
  cli: ModCli,
  settings: ModSettings,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
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
  const commands: string[] = [];
  for (const args of configureCommands(settings)) {
    const result = await cli.run(args, { signal: options.signal, timeoutMs: options.timeoutMs ?? 120_000 });
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
  const out: ConfigureResult = { commands };
  const store = chooseArtifactStore(publish);
  if (store) out.store = store;
  return out;
}
