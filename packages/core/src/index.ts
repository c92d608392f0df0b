/**
 * @mass-ingest/core: what every mass-ingest package shares. AWS helpers are at `@mass-ingest/core/aws`.
 */
export { describeError, exitCodeOf, MassIngestError, type MassIngestErrorOptions } from "./errors.js";
export { Redactor } from "./redact.js";
export { createLogger, type LineSink, type LogFn, type Logger, type LoggerOptions, type RedactingLogger } from "./logger.js";
export { maskUserInfo, redactUrl, splitUserInfo, stripUserInfo } from "./url.js";
export { runCli, type AbortSignalLike, type CliAbortSignal, type CliContext, type CliSignal, type RunCliOptions } from "./cli.js";
export { quietAwsSdkNodeWarning } from "./node-warning.js";
export { findWorkspaceRoot, resolveDataDir } from "./data-dir.js";
export { parseDuration } from "./duration.js";
export { ProcessGroups } from "./process-groups.js";
export { abortWindow, type AbortWindowOptions } from "./abort-window.js";
