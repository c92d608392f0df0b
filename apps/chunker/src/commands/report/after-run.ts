import { describeError } from "@mass-ingest/core";
import { writeRunReport } from "@mass-ingest/report";
import { freshness } from "@mass-ingest/state";
import type { Io } from "../../io.js";
import { openStore } from "../../state/store.js";
import { DEFAULT_PROCESSOR_VCPUS } from "./settings.js";

/**
 * The report at the end of a run that someone waited for (`submit --wait`, the local executor): written into the
 * state store next to the run's records; resolves to its path (or s3:// URL). A report that cannot be written is
 * a warning, never the run's failure: resolves to undefined.
 */
export async function reportAfterRun(state: string, runId: string, io: Io): Promise<string | undefined> {
  const store = openStore(state, io.logger, io.env);
  try {
    const written = await writeRunReport(store, runId, {
      vcpusPerPartition: DEFAULT_PROCESSOR_VCPUS,
      freshness: freshness(await store.readState(), { now: new Date() }),
    });
    io.logger.info({ runId, report: written.html }, `report of run ${runId}: ${written.html}`);
    return written.html;
  } catch (error) {
    io.logger.warn(
      { runId, state, err: describeError(error) },
      `the report of run ${runId} could not be written; write it later with: mass-ingest-chunker report ${runId} --state ${state}`,
    );
    return undefined;
  } finally {
    store.close();
  }
}
