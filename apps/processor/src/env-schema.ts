import { PROCESSOR_ENV, WHOLE_NUMBER_KINDS, type EnvVar } from "@mass-ingest/contract/env";
import { z } from "zod";

/** An optional string variable; empty = unset. */
const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

/** An optional whole-number variable >= min; empty = unset. */
const wholeNumber = (name: string, min: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return undefined;
      if (/^\d+$/.test(raw.trim()) && Number(raw) >= min) return Number(raw);
      ctx.addIssue({ code: "custom", message: `${name}="${raw}" is not a whole number >= ${min}.`, params: { name } });
      return z.NEVER;
    });

/**
 * A row's schema, from its kind: whole numbers (integer, seconds) are checked against the row's minimum; every
 * other kind is text here (blank = unset), read by the part of the processor that owns it.
 */
export function schemaOf(row: EnvVar): typeof text | ReturnType<typeof wholeNumber> {
  return WHOLE_NUMBER_KINDS.includes(row.kind) ? wholeNumber(row.name, row.min ?? 0) : text;
}

/** The variables the processor reads, by their contract names: one entry per PROCESSOR_ENV row, generated. */
export const envSchema = z.object(Object.fromEntries(Object.values(PROCESSOR_ENV).map((row) => [row.name, schemaOf(row)])));

/** The parsed environment: strings, and numbers for the whole-number rows. */
export type Env = Record<string, string | number | undefined>;
