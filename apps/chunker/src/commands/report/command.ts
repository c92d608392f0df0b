import path from "node:path";
import { publishedTotals, writeRunReport } from "@mass-ingest/report";
import { freshness } from "@mass-ingest/state";
import type { Io } from "../../io.js";
import { openStore } from "../../state/store.js";
import { reportSettings, type ReportFlags } from "./settings.js";

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
