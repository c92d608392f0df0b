import { parseDuration } from "@mass-ingest/core";
import { z } from "zod";

/** The parser every app shares (core). */
export { parseDuration };

/** A duration flag ("45m", "7d", ...) as milliseconds >= `min`, else `fallback` when not given. */
export function duration(flagName: string, fallback: number, min: number) {
  return z
    .string()
    .optional()
    .transform((value, ctx): number => {
      if (value === undefined || value.trim() === "") return fallback;
      const ms = parseDuration(value);
      if (ms !== undefined && ms >= min) return ms;
      ctx.addIssue({
        code: "custom",
        message: `${flagName} must be a duration like 30s, 45m, 2h or 7d${min > 0 ? " (more than 0)" : " (0 allowed)"}, got "${value}".`,
        params: { code: "INVALID_SETTING", hint: `Pass e.g. ${flagName} 45m.` },
      });
      return z.NEVER;
    });
}
