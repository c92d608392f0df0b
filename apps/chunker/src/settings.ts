import { MassIngestError } from "@mass-ingest/core";
import { z } from "zod";

type Env = Readonly<Record<string, string | undefined>>;

/** A value from the flag, else the environment variable; blank counts as unset. */
export function flagOrEnv(flag: string | undefined, envName: string, env: Env): string | undefined {
  const v = flag ?? env[envName];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** What a failed setting reports: the error code and what to do (carried in the zod issue's params). */
interface SettingIssueParams {
  code: string;
  hint?: string;
}

function fail(ctx: z.RefinementCtx, message: string, params: SettingIssueParams): never {
  ctx.addIssue({ code: "custom", message, params });
  return z.NEVER;
}

/** A whole number >= `min` (default 1) from `--flag` / ENV, else `fallback`. */
export function wholeNumber(flagName: string, envName: string | undefined, fallback: number, min = 1) {
  return z
    .string()
    .optional()
    .transform((value, ctx): number => {
      if (value === undefined) return fallback;
      const n = Number(value);
      if (/^\d+$/.test(value) && Number.isSafeInteger(n) && n >= min) return n;
      return fail(ctx, `${flagName}${envName ? ` / ${envName}` : ""} must be a whole number >= ${min}, got "${value}".`, {
        code: "INVALID_SETTING",
        hint: `Pass e.g. ${flagName} 50.`,
      });
    });
}

/** A setting that must be given (`--flag` or ENV). */
export function required(flagName: string, envName: string, what: string) {
  return z
    .string()
    .optional()
    .transform(
      (value, ctx): string =>
        value ??
        fail(ctx, `No ${what}: pass ${flagName} or set ${envName}.`, {
          code: "MISSING_SETTING",
          hint: `e.g. ${flagName} <name> (${envName}=<name>); use --dry-run or --executor local to plan / run without AWS Batch.`,
        }),
    );
}

/** A text setting a library function checks (e.g. validateRunId): its MassIngestError becomes the issue. */
export function checked<T>(check: (value: string) => T) {
  return z.string().transform((value, ctx): T => {
    try {
      return check(value);
    } catch (error) {
      if (!(error instanceof MassIngestError)) throw error;
      return fail(ctx, error.message, { code: error.code, ...(error.hint ? { hint: error.hint } : {}) });
    }
  });
}

/** Validate one command's raw settings; the first problem (in the schema's order) is thrown as MassIngestError (exit 2). */
export function parseSettings<S extends z.ZodType>(schema: S, raw: z.input<S>): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const params = (issue as { params?: Partial<SettingIssueParams> }).params ?? {};
  const name = issue.path.join(".");
  throw new MassIngestError(params.code ?? "INVALID_SETTING", params.code ? issue.message : `Setting ${name}: ${issue.message}`, {
    ...(params.hint ? { hint: params.hint } : {}),
  });
}
