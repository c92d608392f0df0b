import { parseDuration } from "@mass-ingest/core";
import { z } from "zod";

/** The parser every app shares (core). */
export { parseDuration };

/** A duration as milliseconds; throws for text that is not one (a flag default of FLAG_DEFAULTS is always one). */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`"${text}" is not a duration.`);
  return ms;
}

/**
 * A duration flag ("45m", "7d", ...) as milliseconds >= `min`, else `fallback` (the flag's default as `--help`
 * states it, parsed the same way) when not given.
 */
export function duration(flagName: string, fallbackText: string, min: number) {
  const fallback = durationMs(fallbackText);
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
