import { CommanderError, type Command } from "commander";
import { describeError, exitCodeOf } from "./errors.js";

/** What runCli needs of an AbortSignal; structural, so the published types need no DOM or Node types. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** The platform's AbortSignal where the consumer has one (Node or DOM types), else {@link AbortSignalLike}. */
export type CliAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : AbortSignalLike;

/** The signals a CLI stops on. */
export type CliSignal = "SIGINT" | "SIGTERM";

/** What a CLI's commands get from {@link runCli}. */
export interface CliContext {
  /** Aborted with reason "SIGINT" / "SIGTERM" at the first signal. */
  readonly signal: CliAbortSignal;
  /**
   * Wrap a command's action: the number it resolves to becomes the exit code (undefined = 0). Commander passes
   * the action's arguments through.
   */
  action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void): (...args: A) => Promise<void>;
}

export interface RunCliOptions {
  /** The user's arguments (without node and the script). */
  argv: readonly string[];
  /** Build the commander program; its actions use `context.action`. */
  program: (context: CliContext) => Command;
  /** Print an error that ended the run (default: `error [CODE]: message` and `hint: ...` on stderr). */
  onError?: (error: unknown, exitCode: number) => void;
  /** Print a command-line error (default: commander already printed it). */
  onUsageError?: (error: CommanderError) => void;
  /** Called at every SIGINT/SIGTERM after the first aborted `signal` (e.g. to kill children at once). */
  onRepeatedSignal?: (signal: CliSignal) => void;
  /**
   * A bound on the wind-down: this many ms after the first SIGINT/SIGTERM, `onStopGraceExpired` is called (e.g. to
   * kill children and exit) if the command has not returned by then, whatever hangs.
   */
  stopGraceMs?: number;
  onStopGraceExpired?: (signal: CliSignal) => void;
  /** Called at the first SIGINT/SIGTERM (e.g. to log it). */
  onSignal?: (signal: CliSignal) => void;
  /** Listen for SIGINT/SIGTERM (default true; tests that run the CLI in-process turn it off). */
  handleSignals?: boolean;
  /** An outside signal to abort with instead of (or besides) the process's signals. */
  abortSignal?: AbortSignalLike;
}

const HELP_CODES = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

function defaultOnError(error: unknown): void {
  const { code, message, hint } = describeError(error);
  process.stderr.write(`error${code !== undefined ? ` [${code}]` : ""}: ${message}\n`);
  if (hint !== undefined) process.stderr.write(`hint: ${hint}\n`);
}

/**
 * The one shell of every mass-ingest CLI: parse the arguments with the commander program, run the chosen
 * command, and turn what happened into an exit code. `--help`/`--version` → 0; a command-line error → 2; the
 * action's number; a thrown error → its `exitCode` (2 for bad input or configuration, 1 otherwise) after
 * `onError` printed it; SIGINT → 130 and SIGTERM → 143 (the command sees `context.signal` aborted and finishes
 * what it must, e.g. its report). Never calls process.exit.
 */
export async function runCli(options: RunCliOptions): Promise<number> {
  const controller = new AbortController();
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const abort = (signal: CliSignal) => {
    if (controller.signal.aborted) {
      options.onRepeatedSignal?.(signal);
      return;
    }
    options.onSignal?.(signal);
    if (options.stopGraceMs !== undefined && options.onStopGraceExpired) {
      const expired = options.onStopGraceExpired;
      graceTimer = setTimeout(() => expired(signal), options.stopGraceMs);
      graceTimer.unref?.();
    }
    controller.abort(signal);
  };
  const onOutside = () => abort(options.abortSignal?.reason === "SIGINT" ? "SIGINT" : "SIGTERM");
  options.abortSignal?.addEventListener("abort", onOutside, { once: true });
  const listen = options.handleSignals ?? true;
  if (listen) {
    process.on("SIGINT", abort);
    process.on("SIGTERM", abort);
  }
  let code = 0;
  const context: CliContext = {
    signal: controller.signal as CliAbortSignal,
    action:
      (fn) =>
      async (...args) => {
        code = (await fn(...args)) ?? 0;
      },
  };
  const interrupted = () => (controller.signal.reason === "SIGINT" ? 130 : 143);
  try {
    const program = options.program(context);
    const overrideAll = (c: Command) => {
      c.exitOverride();
      for (const sub of c.commands) overrideAll(sub);
    };
    overrideAll(program);
    await program.parseAsync([...options.argv], { from: "user" });
    return controller.signal.aborted && code === 0 ? interrupted() : code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (HELP_CODES.has(error.code)) return 0;
      options.onUsageError?.(error);
      return 2;
    }
    if (controller.signal.aborted) return interrupted();
    const exit = exitCodeOf(error);
    (options.onError ?? defaultOnError)(error, exit);
    return exit;
  } finally {
    clearTimeout(graceTimer);
    if (listen) {
      process.removeListener("SIGINT", abort);
      process.removeListener("SIGTERM", abort);
    }
    options.abortSignal?.removeEventListener("abort", onOutside);
  }
}
