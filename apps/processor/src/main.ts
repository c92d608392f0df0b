import { ProcessGroups, quietAwsSdkNodeWarning, runCli } from "@mass-ingest/core";
import { exitCodeForSignal, PROCESSOR_ENV } from "@mass-ingest/contract";
import { createProgram } from "./program.js";

// mass-ingest-processor: thin entry point. SIGTERM/SIGINT abort the run (report still written, exit 143/130);
// a second signal kills the CLI's process groups and exits at once.
// Exactly the AWS SDK's NodeVersionSupportWarning on Node 20, through its own switch (unless the user set it);
// every other warning still prints.
quietAwsSdkNodeWarning();
/** Seconds the wind-down after the first signal may take (STOP_GRACE; a malformed value means the default). */
function stopGraceSeconds(): number {
  const n = Number(process.env[PROCESSOR_ENV.stopGrace.name] ?? "");
  return Number.isFinite(n) && n >= 0 && process.env[PROCESSOR_ENV.stopGrace.name]?.trim() ? n : Number(PROCESSOR_ENV.stopGrace.default);
}
// The Moderne CLI's process groups, registered by the runner the run creates: killed on the way out.
const groups = new ProcessGroups();
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
          groups,
        }),
      ),
    ),
  onUsageError: () => process.stderr.write("Run with --help for usage.\n"),
  onRepeatedSignal: (signal) => {
    groups.killAll();
    process.exit(exitCodeForSignal(signal));
  },
  // Whatever hangs in the wind-down (a build, an upload), the first signal is honoured within STOP_GRACE.
  stopGraceMs: stopGraceSeconds() * 1000,
  onStopGraceExpired: (signal) => {
    process.stderr.write(
      `mass-ingest-processor: still winding down ${stopGraceSeconds()} s after ${signal} (${PROCESSOR_ENV.stopGrace.name}): killing the Moderne CLI and exiting\n`,
    );
    groups.killAll();
    process.exit(exitCodeForSignal(signal));
  },
});
process.exitCode = code;
// Do not wait for idle sockets / timers of SDK clients.
setTimeout(() => process.exit(code), 200).unref();
