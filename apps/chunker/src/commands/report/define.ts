// The flags of `report` only: its implementation (./command.js and the libraries it needs) is loaded when it runs,
// so `--help` loads no AWS SDK, chart library or metrics library (docs/benchmarks.md).
import { type Command } from "commander";
import { CHUNKER_ENV } from "@mass-ingest/contract/env";
import type { CliContext } from "@mass-ingest/core";
import type { Io } from "../../io.js";
import { FLAG_DEFAULTS as D } from "../flag-defaults.js";
import type { ReportFlags } from "./settings.js";

export function defineReport(program: Command, context: CliContext, io: Io): void {
  program
    .command("report")
    .description("Write a run's report (one self-contained HTML page, plus JSON) from the state store; print its path.")
    .argument("[run-id]", 'run id, or "latest" (default)')
    .option(
      "--state <location>",
      `the state store: a directory or s3://bucket/prefix (env ${CHUNKER_ENV.stateUrl.name}, default <DATA_DIR>/state)`,
    )
    .option("--out <dir>", "also write report-<run-id>.html/.json into this directory (printed instead of the store's copy)")
    .option("--trends <n>", `runs in the trend charts, this one included (default ${D.trends})`)
    .option("--price-per-vcpu-hour <usd>", "price of one vCPU-hour, for the cost estimate (default: no estimate)")
    .option("--vcpus <n>", `vCPUs of one processor container, for vCPU-hours (default ${D.vcpus})`)
    .option("--freshness-target <duration>", `count the repositories whose LST is older than this, and why (default ${D.freshnessTarget})`)
    .option("--json", "print where the report went and the run's totals as JSON")
    .action(
      context.action(async (runId: string | undefined, flags: ReportFlags) =>
        (await import("./command.js")).reportCommand(runId, flags, io),
      ),
    );
}
