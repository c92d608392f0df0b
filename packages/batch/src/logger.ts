import { pino, type Logger, type DestinationStream } from "pino";
import pinoPretty from "pino-pretty";

/** Secret values shorter than this are not redacted (they would shred ordinary text); use real secrets. */
export const MIN_SECRET_LENGTH = 4;

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Readable lines instead of JSON; default: when the destination (stderr) is a TTY. */
  pretty?: boolean;
  /** Secret values to replace by "***" from the start. */
  secrets?: readonly string[];
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

/** Replaces registered secret values (raw and JSON-escaped forms) in text. */
export class Redactor {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  constructor(values: readonly string[] = []) {
    for (const v of values) this.add(v);
  }

  add(value: string): void {
    if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH) return;
    const forms = [value, JSON.stringify(value).slice(1, -1)];
    let changed = false;
    for (const f of forms) {
      if (!this.values.has(f)) {
        this.values.add(f);
        changed = true;
      }
    }
    if (changed) {
      // Longest first so a secret that contains another is replaced whole.
      const sorted = [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(sorted.join("|"), "g");
    }
  }

  redact(text: string): string {
    return this.pattern ? text.replace(this.pattern, "***") : text;
  }
}

/**
 * pino logger: JSON lines when not a TTY, readable lines on a TTY; every known secret VALUE is
 * replaced by "***" in every message and field, after serialization (so nested objects, errors and
 * child loggers are covered too).
 */
export function createLogger(options: LoggerOptions): RedactingLogger {
  const redactor = new Redactor(options.secrets ?? []);
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
