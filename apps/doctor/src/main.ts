import { runCli } from "@mass-ingest/core";
import { createProgram } from "./program.js";
import { doctorSettings } from "./settings.js";

// mass-ingest: thin entry point. `doctor` prints one line per check and exits 0 (nothing failed), 1 (a check
// failed) or 2 (bad arguments).
const code = await runCli({
  argv: process.argv.slice(2),
  program: (context) =>
    createProgram(
      { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
      context.action(async (csv, flags) => {
        const app = doctorSettings(csv, flags, process.env);
        // The checks (the AWS SDK, undici, the pipeline) load when they run, so `--help` loads and opens none of them.
        const { formatReport, formatReportJson, runDoctor } = await import("@mass-ingest/doctor");
        const report = await runDoctor(app.settings, { ...app.options, signal: context.signal });
        process.stdout.write(
          app.json ? formatReportJson(report) : formatReport(report, { color: process.stdout.isTTY === true && !process.env.NO_COLOR }),
        );
        return report.exitCode;
      }),
    ),
  onUsageError: () => process.stderr.write("Run with --help for usage.\n"),
});
process.exitCode = code;
// Do not wait for idle sockets of SDK clients.
setTimeout(() => process.exit(code), 200).unref();
