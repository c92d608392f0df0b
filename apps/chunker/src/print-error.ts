import { CHUNKER_BIN } from "@mass-ingest/contract";
import { describeError, type Logger } from "@mass-ingest/core";

/**
 * The error that ended the run: `mass-ingest-chunker: [CODE] message` and its hint on stderr; before it one JSON
 * log line (with the stack) only when stderr is not a terminal, where logs are collected. On a terminal the error
 * is printed once, as the human line.
 */
export function printError(
  logger: Logger,
  error: unknown,
  exitCode: number,
  stderr: { isTTY?: boolean; write(text: string): unknown } = process.stderr,
): void {
  const { code, message, hint } = describeError(error);
  if (stderr.isTTY !== true) logger.error({ err: error, code }, message);
  stderr.write(`${CHUNKER_BIN}: ${code && exitCode === 2 ? `[${code}] ` : ""}${message}\n${hint ? `  hint: ${hint}\n` : ""}`);
}
