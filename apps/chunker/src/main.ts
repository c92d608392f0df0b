import { exitCodeForSignal } from "@mass-ingest/contract";
import { createLogger, quietAwsSdkNodeWarning, runCli } from "@mass-ingest/core";
import { printError } from "./print-error.js";
import { chunkerProgram } from "./program.js";

/** The chunker's entry: parse errors, signals (130/143) and the exit code of every command through core's runCli. */
async function main(argv: readonly string[]): Promise<number> {
  // Exactly the AWS SDK's NodeVersionSupportWarning on Node 20, through its own switch (unless the user set it).
  quietAwsSdkNodeWarning();
  const logger = createLogger({ name: "chunker" });
  const stdout = (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  return runCli({
    argv,
    program: (context) => chunkerProgram(context, { stdout, logger, signal: context.signal, env: process.env }),
    onError: (error, exitCode) => printError(logger, error, exitCode),
    onSignal: (signal) => logger.warn({ signal }, `${signal}: stopping`),
    // A second signal stops at once, as the default signal handler would.
    onRepeatedSignal: (signal) => process.exit(exitCodeForSignal(signal)),
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
