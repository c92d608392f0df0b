/**
 * One row of the environment tables: everything about a setting that the apps need to read it, validate it and
 * say its default in `--help`, declared once. The processor generates its env schema from the rows' kinds and
 * minimums and its `--help` from their descriptions and defaults.
 */

/**
 * What a setting's value is. `integer` and `seconds` are whole numbers >= `min` (validated at start); `number`
 * is any number >= 0 (read leniently: a malformed value means the default); the others are text.
 */
export type EnvKind = "string" | "url" | "path" | "location" | "integer" | "seconds" | "number" | "boolean" | "enum" | "time" | "pem";

/** The kinds whose values are whole numbers checked against the row's `min` (a malformed value is exit 2). */
export const WHOLE_NUMBER_KINDS: readonly EnvKind[] = ["integer", "seconds"];

export interface EnvVar {
  readonly name: string;
  /** The value is a secret: redacted in every log, report and error, and removed from `mod`'s environment. */
  readonly secret: boolean;
  /** May hold a Secrets Manager ARN (`arn:aws:secretsmanager:...`) that the processor resolves at start. */
  readonly resolvable: boolean;
  /** Set by the infra stack itself: `processor.environment` in the deployment config may not override it. */
  readonly managed: boolean;
  readonly description: string;
  readonly kind: EnvKind;
  /** integer / seconds: the smallest value accepted. */
  readonly min?: number;
  /** enum: the values accepted. */
  readonly values?: readonly string[];
  /** The value used when the variable is unset (a plain value). */
  readonly default?: string | number | boolean;
  /** When the default is not one value but depends on the run: what it is, in words. */
  readonly derivedDefault?: string;
}

/** How a row is declared: the flags default to false, `resolvable` to `secret`. */
export interface EnvSpec {
  kind: EnvKind;
  secret?: boolean;
  resolvable?: boolean;
  managed?: boolean;
  min?: number;
  values?: readonly string[];
  default?: string | number | boolean;
  derivedDefault?: string;
}

/** A table row. */
export function envVar(name: string, description: string, spec: EnvSpec): EnvVar {
  const { secret = false, resolvable = secret, managed = false, ...rest } = spec;
  return { name, secret, resolvable, managed, description, ...rest };
}

/** A row's default as `--help` states it ("1800", "`mod` on PATH, else ..."), or undefined when it has none. */
export function envDefaultText(row: EnvVar): string | undefined {
  if (row.default !== undefined) return String(row.default);
  return row.derivedDefault;
}

/** A row as one line of text: its description, then the default when it has one. */
export function describeEnv(row: EnvVar): string {
  const fallback = envDefaultText(row);
  return fallback === undefined ? row.description : `${row.description} (default ${fallback})`;
}

/** The `--help` block that lists every variable of a table with its meaning and default. */
export function envHelp(title: string, table: Readonly<Record<string, EnvVar>>): string {
  const rows = Object.values(table);
  const width = Math.max(...rows.map((r) => r.name.length));
  return [`${title}:`, ...rows.map((r) => `  ${r.name.padEnd(width)}  ${describeEnv(r)}${r.secret ? " [secret]" : ""}`)].join("\n");
}
