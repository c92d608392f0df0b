import path from "node:path";
import type { Command } from "commander";
import { CHUNKER_ENV } from "@mass-ingest/contract";
import type { CliContext } from "@mass-ingest/core";
import { DEFAULT_TREND_RUNS, publishedTotals, writeRunReport } from "@mass-ingest/report";
import { freshness } from "@mass-ingest/state";
import type { Io } from "../../io.js";
import { openStore } from "../../state/store.js";
import { DEFAULT_PROCESSOR_VCPUS, reportSettings, type ReportFlags } from "./settings.js";

/** `report [<run-id> | latest]`: write the run's HTML report (and JSON) into the state store and/or --out; print where. */
export async function reportCommand(runId: string | undefined, flags: ReportFlags, io: Io): Promise<number> {
  const settings = reportSettings(runId, flags, io.env);
  const store = openStore(settings.state, io.logger, io.env);
  try {
    const written = await writeRunReport(store, settings.runId, {
      trends: settings.trends,
      vcpusPerPartition: settings.vcpus,
      freshness: freshness(await store.readState(), { now: new Date(), targetMs: settings.freshnessTargetMs }),
      ...(settings.pricePerVcpuHour !== undefined ? { pricePerVcpuHour: settings.pricePerVcpuHour } : {}),
      ...(settings.out !== undefined ? { dir: path.resolve(settings.out) } : {}),
    });
    if (settings.json) {
      const { data, ...where } = written;
      const f = data.freshness;
      io.stdout(
        JSON.stringify(
          { ...where, totals: publishedTotals(data.totals), ...(f ? { freshness: { outside: f.outside, byReason: f.byReason } } : {}) },
          null,
          2,
        ),
      );
    } else {
      io.stdout(written.html);
    }
    return 0;
  } finally {
    store.close();
  }
}

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
    .option("--trends <n>", `runs in the trend charts, this one included (default ${DEFAULT_TREND_RUNS})`)
    .option("--price-per-vcpu-hour <usd>", "price of one vCPU-hour, for the cost estimate (default: no estimate)")
    .option("--vcpus <n>", `vCPUs of one processor container, for vCPU-hours (default ${DEFAULT_PROCESSOR_VCPUS})`)
    .option("--freshness-target <duration>", "count the repositories whose LST is older than this, and why (default 24h)")
    .option("--json", "print where the report went and the run's totals as JSON")
    .action(context.action((runId: string | undefined, flags: ReportFlags) => reportCommand(runId, flags, io)));
}
