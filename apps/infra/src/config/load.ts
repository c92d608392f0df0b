/**
 * Reads the deployment config from a JSON file and/or the environment, merges shared `defaults` under every
 * environment, and validates each one. Throws one `InfraError` that lists every missing or malformed field,
 * before any construct is created.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { z } from "zod";
import { InfraError } from "../errors.js";
import { crossEnvironmentIssues } from "./environments.js";
import { InheritedIssues, issueOrigins } from "./issue-origin.js";
import { ConfigFileSchema, DeploymentConfigSchema } from "./schema.js";
import type { DeploymentConfig } from "./schema.js";

/** Environment variables the loader reads. */
export const CONFIG_ENV = {
  /** Path of the JSON config file (default `config.json` in the working directory). */
  file: "MASS_INGEST_CONFIG",
  /** The whole config file as inline JSON (wins over the file). */
  json: "MASS_INGEST_CONFIG_JSON",
  /** Overrides `image.tag` in every environment (CI pushes an image per commit). */
  imageTag: "MASS_INGEST_IMAGE_TAG",
  /** Comma list of environments to synthesize (default: all). */
  stacks: "MASS_INGEST_STACKS",
} as const;

/** One validated environment: the stack id and its config. */
export interface EnvironmentConfig {
  readonly id: string;
  readonly config: DeploymentConfig;
}

/** The loaded config: where it came from, and every selected environment. */
export interface LoadedConfig {
  readonly source: string;
  readonly environments: readonly EnvironmentConfig[];
}

const HINT_SUFFIX = "See apps/infra/config.example.json and docs/deploy.md for every field.";

/** Plain-object deep merge: `over` wins; arrays and scalars replace; `null` in `over` removes the key. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) {
      if (value === null) delete out[key];
      else out[key] = key in out ? deepMerge(out[key], value) : value;
    }
    return out;
  }
  return over === undefined ? base : over;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Formats zod issues as `path: message` lines, with `prefix` in front of each path. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".");
    let message = issue.message;
    if (issue.code === "unrecognized_keys") message = `unknown field(s) ${issue.keys.join(", ")}: remove them or fix the spelling`;
    return `${path || "(root)"}: ${message}`;
  });
}

/**
 * Validates one environment's raw config (already merged with defaults). Throws `InfraError`
 * (`INFRA_CONFIG_INVALID`) naming each bad field as `<label>.<field>`.
 */
export function parseDeploymentConfig(raw: unknown, label = "config", source = "the config"): DeploymentConfig {
  const result = DeploymentConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw invalid(formatIssues(result.error.issues, label), source);
}

function invalid(issues: string[], source: string): InfraError {
  return new InfraError(
    "INFRA_CONFIG_INVALID",
    `Invalid deployment config in ${source} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
      issues.map((i) => `  - ${i}`).join("\n"),
    { hint: `Fix the field(s) above in ${source}; nothing was synthesized. ${HINT_SUFFIX}`, issues },
  );
}

/**
 * Validates a whole config file object (`{ defaults?, environments: { id: {...} } }`): every environment is
 * checked and all problems are reported together. `select` limits which environments are returned.
 */
export function parseConfigFile(
  raw: unknown,
  source: string,
  options: { imageTag?: string; select?: readonly string[] } = {},
): LoadedConfig {
  const file = ConfigFileSchema.safeParse(raw);
  if (!file.success) throw invalid(formatIssues(file.error.issues, ""), source);
  const ids = Object.keys(file.data.environments);
  if (ids.length === 0) throw invalid(["environments: is empty: add at least one environment"], source);
  const selected = options.select?.length ? options.select : ids;
  const unknown = selected.filter((id) => !ids.includes(id));
  if (unknown.length > 0)
    throw invalid(
      unknown.map((id) => `${CONFIG_ENV.stacks}: names environment "${id}", which ${source} does not define (it has ${ids.join(", ")})`),
      source,
    );

  const issues: string[] = [];
  const inherited = new InheritedIssues();
  const environments: EnvironmentConfig[] = [];
  const names = new Map<string, string>();
  for (const id of selected) {
    let merged = deepMerge(file.data.defaults ?? {}, file.data.environments[id]);
    if (options.imageTag !== undefined) merged = deepMerge(merged, { image: { tag: options.imageTag } });
    const name = isPlainObject(merged) && typeof merged.name === "string" ? merged.name : undefined;
    if (name !== undefined) {
      const other = names.get(name);
      if (other !== undefined)
        issues.push(`environments.${id}.name: "${name}" is already used by environment ${other}; every environment needs its own name`);
      names.set(name, id);
    }
    const result = DeploymentConfigSchema.safeParse(merged);
    if (result.success) {
      environments.push({ id, config: result.data });
      continue;
    }
    const origins = issueOrigins(result.error.issues, file.data.environments[id], file.data.defaults);
    issues.push(...formatIssues(origins.own, `environments.${id}`));
    for (const line of formatIssues(origins.inherited, "defaults")) inherited.add(line, id);
  }
  issues.unshift(...inherited.list());
  issues.push(...crossEnvironmentIssues(ids.map((id) => [id, deepMerge(file.data.defaults ?? {}, file.data.environments[id])] as const)));
  if (issues.length > 0) throw invalid(issues, source);
  return { source, environments };
}

/**
 * Loads the config the way `cdktf synth` does: inline JSON from `MASS_INGEST_CONFIG_JSON`, else the file named by
 * `MASS_INGEST_CONFIG` (default `config.json` in `cwd`); then `MASS_INGEST_IMAGE_TAG` and `MASS_INGEST_STACKS`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): LoadedConfig {
  const imageTag = env[CONFIG_ENV.imageTag] || undefined;
  const select = (env[CONFIG_ENV.stacks] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const options = { ...(imageTag === undefined ? {} : { imageTag }), select };

  const inline = env[CONFIG_ENV.json];
  if (inline !== undefined && inline.trim() !== "") {
    return parseConfigFile(parseJson(inline, `$${CONFIG_ENV.json}`), `$${CONFIG_ENV.json}`, options);
  }
  const path = resolve(cwd, env[CONFIG_ENV.file] || "config.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
    throw new InfraError(
      missing ? "INFRA_CONFIG_MISSING" : "INFRA_CONFIG_UNREADABLE",
      `Cannot read the deployment config ${path}: ${(cause as Error).message}`,
      {
        hint: missing
          ? `Copy apps/infra/config.example.json to ${path} and fill it in, or point ${CONFIG_ENV.file} at your file, or put the JSON in ${CONFIG_ENV.json}.`
          : `Check the permissions of ${path}.`,
        cause,
      },
    );
  }
  return parseConfigFile(parseJson(text, path), path, options);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new InfraError("INFRA_CONFIG_UNREADABLE", `${source} is not valid JSON: ${(cause as Error).message}`, {
      hint: `Fix the JSON syntax in ${source}. ${HINT_SUFFIX}`,
      cause,
    });
  }
}
