import { MassIngestError } from "@mass-ingest/core";
import type { DoctorOptions, DoctorSettings } from "@mass-ingest/doctor";
import { z } from "zod";
import type { DoctorFlags } from "./program.js";

const GIB = 1024 ** 3;
const bytes = z
  .number()
  .nonnegative()
  .transform((n) => Math.round(n * GIB))
  .optional();

/** The flags' part of the settings: thresholds must keep fail <= warn. */
const schema = z
  .object({
    diskWarnGib: bytes,
    diskFailGib: bytes,
    memoryWarnGib: bytes,
    memoryFailGib: bytes,
  })
  .refine((t) => t.diskWarnGib === undefined || t.diskFailGib === undefined || t.diskFailGib <= t.diskWarnGib, {
    message: "--disk-fail-gib must not be above --disk-warn-gib",
  })
  .refine((t) => t.memoryWarnGib === undefined || t.memoryFailGib === undefined || t.memoryFailGib <= t.memoryWarnGib, {
    message: "--memory-fail-gib must not be above --memory-warn-gib",
  });

/** What the doctor command runs with: the library's settings and options, built once from flags and environment. */
export interface DoctorAppSettings {
  settings: DoctorSettings;
  options: DoctorOptions;
  json: boolean;
}

/** Flags + environment -> the one settings object. Throws MassIngestError INVALID_SETTING (exit 2). */
export function doctorSettings(
  csv: string | undefined,
  flags: DoctorFlags,
  env: Readonly<Record<string, string | undefined>>,
): DoctorAppSettings {
  const parsed = schema.safeParse(flags);
  if (!parsed.success) {
    throw new MassIngestError("INVALID_SETTING", parsed.error.issues.map((i) => i.message).join("; "), {
      hint: "Give the fail threshold at or below the warn threshold.",
    });
  }
  const t = parsed.data;
  const thresholds = {
    ...(t.diskWarnGib !== undefined ? { diskWarnBytes: t.diskWarnGib } : {}),
    ...(t.diskFailGib !== undefined ? { diskFailBytes: t.diskFailGib } : {}),
    ...(t.memoryWarnGib !== undefined ? { memoryWarnBytes: t.memoryWarnGib } : {}),
    ...(t.memoryFailGib !== undefined ? { memoryFailBytes: t.memoryFailGib } : {}),
  };
  return {
    settings: {
      env,
      ...(csv ? { csv } : {}),
      ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
      ...(flags.state ? { stateUrl: flags.state } : {}),
      ...(flags.jdkRoot ? { jdkRoots: flags.jdkRoot } : {}),
      ...(flags.javaHome ? { jdkHomes: flags.javaHome } : {}),
      thresholds,
      allowFileUrls: flags.allowFileUrls,
    },
    options: {
      ...(flags.only ? { only: flags.only } : {}),
      ...(flags.timeout ? { checkTimeoutMs: Math.round(flags.timeout * 1000) } : {}),
    },
    json: flags.json,
  };
}
