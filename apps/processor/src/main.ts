import { quietAwsSdkNodeWarning, runCli } from "@mass-ingest/core";
import { exitCodeForSignal } from "@mass-ingest/contract";
import type { ExecaModCli } from "@mass-ingest/pipeline";
import { createProgram } from "./program.js";

// mass-ingest-processor: thin entry point. SIGTERM/SIGINT abort the run (report still written, exit 143/130);
// a second signal kills the CLI's process groups and exits at once.
// Exactly the AWS SDK's NodeVersionSupportWarning on Node 20, through its own switch (unless the user set it);
// every other warning still prints.
quietAwsSdkNodeWarning();
let cli: ExecaModCli | undefined;
const code = await runCli({
  argv: process.argv.slice(2),
  program: (context) =>
    createProgram(
      { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
      // The run (the pipeline, the AWS SDK, metrics) is loaded when it starts, so `--help` opens and loads none of it.
      context.action(async (csv, flags) =>
        (await import("./run.js")).runProcessor(csv, flags, {
          env: process.env,
          cwd: process.cwd(),
          stdout: process.stdout,
          stderr: process.stderr,
          signal: context.signal,
          onCli: (c) => (cli = c),
        }),
      ),
    ),
  onUsageError: () => process.stderr.write("Run with --help for usage.\n"),
  onRepeatedSignal: (signal) => {
    cli?.killAll();
    process.exit(exitCodeForSignal(signal));
  },
});
process.exitCode = code;
// Do not wait for idle sockets / timers of SDK clients.
setTimeout(() => process.exit(code), 200).unref();
