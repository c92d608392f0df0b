import type { ExecaModCli } from "@mass-ingest/pipeline";
import { EXIT, runProcessor } from "./run.js";

// mass-ingest-processor: thin entry point. SIGTERM/SIGINT abort the run (report still written, exit 143/130);
// a second signal kills the CLI's process groups and exits at once.
const controller = new AbortController();
let cli: ExecaModCli | undefined;
for (const [signal, code] of [
  ["SIGTERM", EXIT.sigterm],
  ["SIGINT", EXIT.sigint],
] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) {
      cli?.killAll();
      process.exit(code);
    }
    controller.abort(signal);
  });
}

const code = await runProcessor(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  onCli: (c) => (cli = c),
});
process.exitCode = code;
// Do not wait for idle sockets / timers of SDK clients.
setTimeout(() => process.exit(code), 200).unref();
