import { pino, type Logger, type DestinationStream } from "pino";
import pinoPretty from "pino-pretty";

/** Secret values shorter than this are not redacted (they would shred ordinary text); use real secrets. */
export const MIN_SECRET_LENGTH = 4;

/** Lines of a multi-line secret (git-credentials file, private key) shorter than this are not redacted on their own. */
export const MIN_SECRET_LINE_LENGTH = 8;

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Readable lines instead of JSON; default: when the destination (stderr) is a TTY. */
  pretty?: boolean;
  /** Secret values to replace by "***" from the start. */
  secrets?: readonly string[];
  /**
   * The Redactor to use (e.g. the one also given to @mass-ingest/pipeline), so every secret registered anywhere
   * is redacted in the log too; `secrets` are added to it. Default: a new one.
   */
  redactor?: Redactor;
  /** Where lines go; default stderr (fd 2), written synchronously. */
  destination?: DestinationStream | NodeJS.WritableStream;
}

export type RedactingLogger = Logger & {
  /** Register another secret value: from now on it is replaced by "***" in every line. */
  addSecret(value: string): void;
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Replaces every registered secret value by `***`, in each form it can take in text: as is, JSON-escaped (log
 * lines are JSON), and URL-encoded (credentials end up in URLs). A multi-line secret (a git-credentials file, a
 * private key) is also redacted line by line (lines of 8+ characters). Values shorter than 4 characters are
 * ignored: they would mangle ordinary text. Structurally a `SecretRedactor` of @mass-ingest/pipeline.
 */
export class Redactor {
  readonly #forms = new Set<string>();
  #pattern: RegExp | undefined;

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Register a secret value (undefined, non-string and short values are ignored). */
  add(secret: string | undefined): this {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return this;
    let changed = false;
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
      if (!this.#forms.has(form)) {
        this.#forms.add(form);
        changed = true;
      }
    }
    if (changed) {
      // Longest first so a secret that contains another is replaced whole.
      this.#pattern = new RegExp(this.values.map(escapeRegExp).join("|"), "g");
    }
    if (secret.includes("\n")) {
      for (const line of secret.split(/\r?\n/)) if (line.trim().length >= MIN_SECRET_LINE_LENGTH) this.add(line.trim());
    }
    return this;
  }

  /** Every registered form, longest first. */
  get values(): string[] {
    return [...this.#forms].sort((a, b) => b.length - a.length);
  }

  /** The text with every registered form replaced by `***`. */
  redact(text: string): string {
    return this.#pattern ? text.replace(this.#pattern, "***") : text;
  }
}

/**
 * pino logger: JSON lines when not a TTY, readable lines on a TTY; every known secret VALUE is
 * replaced by "***" in every message and field, after serialization (so nested objects, errors and
 * child loggers are covered too). Pass `redactor` to share one set of secrets with other code.
 */
export function createLogger(options: LoggerOptions): RedactingLogger {
  const redactor = options.redactor ?? new Redactor();
  for (const secret of options.secrets ?? []) redactor.add(secret);
  const pretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY === true);
  let destination: DestinationStream | NodeJS.WritableStream;
  if (pretty) {
    destination = pinoPretty({
      destination: (options.destination as NodeJS.WritableStream | undefined) ?? 2,
      sync: true,
      colorize: options.destination === undefined && process.stderr.isTTY === true,
      translateTime: "SYS:HH:MM:ss",
      ignore: "pid,hostname",
    });
  } else {
    destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  }
  const logger = pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      hooks: { streamWrite: (s: string) => redactor.redact(s) },
    },
    destination as DestinationStream,
  ) as RedactingLogger;
  logger.addSecret = (value: string) => redactor.add(value);
  return logger;
}

export type { Logger };
