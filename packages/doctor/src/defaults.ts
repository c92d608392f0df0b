import { DOCTOR_THRESHOLDS, PROCESSOR_ENV, type ProcessorEnvKey } from "@mass-ingest/contract";
import { resolveDataDir } from "@mass-ingest/core";
import type { Thresholds } from "./types.js";

/** Warn below 20 GiB free disk / 8 GiB memory, fail below 5 GiB / 4 GiB (the contract's, which `--help` states). */
export const DEFAULT_THRESHOLDS: Thresholds = { ...DOCTOR_THRESHOLDS };

/** Folders whose subfolders are JDK homes. */
export const DEFAULT_JDK_ROOTS: readonly string[] = ["/usr/lib/jvm", "/opt/java"];

/** Checks at once, and how long one may take. */
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_CHECK_TIMEOUT_MS = 60_000;

/** A processor setting from the environment by its contract name; blank counts as unset. */
export function envValue(env: Readonly<Record<string, string | undefined>>, key: ProcessorEnvKey): string | undefined {
  const value = env[PROCESSOR_ENV[key].name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** The setting's environment name, for messages. */
export function envName(key: ProcessorEnvKey): string {
  return PROCESSOR_ENV[key].name;
}

/** DATA_DIR as the processor uses it (core's resolveDataDir): the setting, else the env, else `.data` in the workspace or here. */
export function dataDirOf(dataDir: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return resolveDataDir(dataDir, { DATA_DIR: envValue(env, "dataDir") });
}
