import { BatchError, DEFAULT_JOB_NAME } from "@mass-ingest/batch";

/** A value from the flag, else the environment variable; the message names both. */
export function setting(flag: string | undefined, envName: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = flag ?? env[envName];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

export function required(value: string | undefined, flagName: string, envName: string, what: string): string {
  if (value === undefined) {
    throw new BatchError("MISSING_SETTING", `No ${what}: pass ${flagName} or set ${envName}.`, {
      hint: `e.g. ${flagName} <name> (${envName}=<name>); use --dry-run or --executor local to plan / run without AWS Batch.`,
    });
  }
  return value;
}

export function positiveInt(value: string | undefined, flagName: string, envName: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new BatchError("INVALID_SETTING", `${flagName}${envName ? ` / ${envName}` : ""} must be a whole number >= 1, got "${value}".`, {
      hint: `Pass e.g. ${flagName} 50.`,
    });
  }
  return n;
}

export const jobNameSetting = (flag: string | undefined) => setting(flag, "JOB_NAME") ?? DEFAULT_JOB_NAME;
