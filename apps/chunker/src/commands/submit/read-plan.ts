import { openCsv } from "@mass-ingest/core/aws";
import { formatIssue, planCsv, type CsvPlan } from "@mass-ingest/partition";
import { hashingCsv } from "@mass-ingest/state";
import type { Io } from "../../io.js";
import type { CommonSettings, StateSettings } from "./settings.js";

/** How many invalid rows, and how many duplicates, the warning names (all of them are counted). */
const EXAMPLES = 5;

/** Warn about the rows the processors will skip, naming a few. */
function warnSkippedRows(csv: string, result: CsvPlan, io: Io): void {
  const { invalidRows, duplicateRows, examples } = result;
  if (invalidRows === 0 && duplicateRows === 0) return;
  const more = invalidRows + duplicateRows - examples.length;
  io.logger.warn(
    {
      csv,
      rowCount: result.plan.rowCount,
      invalidRows,
      duplicateRows,
      examples: examples.map((i) => ({
        row: i.row,
        line: i.line,
        code: i.code,
        ...(i.column !== undefined ? { column: i.column } : {}),
        message: i.message,
      })),
    },
    `${invalidRows} invalid and ${duplicateRows} duplicate row(s) of ${result.plan.rowCount} will be skipped by the processors:\n` +
      examples.map((i) => `  ${formatIssue(i)}`).join("\n") +
      (more > 0 ? `\n  ... and ${more} more row(s); submit --strict lists every problem (and submits nothing while a row is invalid)` : ""),
  );
}

/** The csv's plan and its sha256 (state's csvSha256), both from the one streaming pass. */
export type SubmitCsv = CsvPlan & { sha256: string };

/**
 * Validate and plan the csv in one streaming pass (partition's planCsv) that also takes its checksum (state's
 * hashingCsv), warn about skipped rows, log the plan.
 */
export async function readPlan(settings: CommonSettings & Pick<StateSettings, "state">, io: Io): Promise<SubmitCsv> {
  const { csv, partitionSize, runId } = settings;
  const hashed = hashingCsv(await openCsv(csv));
  const planned = await planCsv(csv, {
    open: () => Promise.resolve(hashed.chunks),
    partitionSize,
    strict: settings.strict,
    examples: EXAMPLES,
    // a state store selects from the rows: keep them from this pass rather than read the csv again
    keepRepos: settings.state !== undefined,
  });
  const result: SubmitCsv = { ...planned, sha256: hashed.sha256() };
  warnSkippedRows(csv, result, io);
  const { plan, invalidRows, duplicateRows } = result;
  // With a state store the partitions are planned by time (logged by prepareIncremental), not by row count.
  if (settings.state) return result;
  io.logger.info(
    { csv, rowCount: plan.rowCount, invalidRows, duplicateRows, partitionSize, partitions: plan.partitions.length, runId },
    `planned ${plan.partitions.length} partitions of ${partitionSize} over ${plan.rowCount} rows` +
      (invalidRows + duplicateRows > 0 ? ` (${invalidRows} invalid, ${duplicateRows} duplicate: skipped)` : ""),
  );
  return result;
}
