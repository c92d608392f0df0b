import { pino, type DestinationStream } from "pino";
import pinoPretty from "pino-pretty";
import { Redactor } from "./redact.js";

/** Anything lines can be written to (a stream, a test's collector). Structural, so consumers need no @types/node. */
export interface LineSink {
  write(chunk: string): unknown;
}

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
  destination?: LineSink;
}

/** One log method: a message, or fields and a message (pino's calling convention). */
export interface LogFn {
  (msg: string): void;
  (fields: object, msg?: string): void;
}

/**
 * The logger every package takes: pino's API as far as mass-ingest uses it. Declared here (not pino's own type) so
 * the published types need no Node type definitions.
 */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  level: string;
  child(bindings: Record<string, unknown>): Logger;
}

export type RedactingLogger = Logger & {
  /** Register another secret value: from now on it is replaced by "***" in every line. */
  addSecret(value: string): void;
};

function destinationFor(options: LoggerOptions, pretty: boolean, stderrTty: boolean): DestinationStream {
  if (!pretty) return (options.destination as DestinationStream | undefined) ?? pino.destination({ fd: 2, sync: true });
  return pinoPretty({
    destination: (options.destination as DestinationStream | undefined) ?? 2,
    sync: true,
    colorize: stderrTty,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname",
  });
}

/**
 * pino's error serializer, keeping the error's own message: pino appends each cause's message to it, which
 * repeats the cause where the message already names it (`ENOTDIR ...: ENOTDIR ...`). The stack keeps the causes.
 */
function serializeError(value: unknown): unknown {
  const out = pino.stdSerializers.err(value as Error) as unknown;
  if (value instanceof Error && typeof out === "object" && out !== null) (out as { message: string }).message = value.message;
  return out;
}

/**
 * pino logger: JSON lines when not a TTY, readable lines on a TTY; every known secret VALUE is replaced by "***"
 * in every message and field, after serialization (so nested objects, errors and child loggers are covered too).
 * Pass `redactor` to share one set of secrets with other code.
 */
export function createLogger(options: LoggerOptions): RedactingLogger {
  const redactor = options.redactor ?? new Redactor();
  for (const secret of options.secrets ?? []) redactor.add(secret);
  const stderrTty = options.destination === undefined && process.stderr.isTTY === true;
  const pretty = options.pretty ?? stderrTty;
  const logger = pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      hooks: { streamWrite: (s: string) => redactor.redact(s) },
      serializers: { err: serializeError },
    },
    destinationFor(options, pretty, stderrTty),
  ) as unknown as RedactingLogger;
  logger.addSecret = (value: string) => redactor.add(value);
  return logger;
}
