import type { Io } from "../../io.js";
import { batchSubmit } from "./batch-submit.js";
import { batchDryRun, localDryRun } from "./dry-run.js";
import { incrementalSubmit } from "./incremental.js";
import { localRun } from "./local-run.js";
import { readPlan } from "./read-plan.js";
import { withLocalProcessor } from "./processor-command.js";
import { submitSettings, type SubmitFlags } from "./settings.js";

/** `submit <csv>`: settings, then the plan, then one of local run, dry run or Batch submit. */
export async function submitCommand(csv: string, flags: SubmitFlags, io: Io): Promise<number> {
  // The local executor's processor is found and checked first: nothing is planned or recorded when it cannot start.
  const settings = withLocalProcessor(submitSettings(csv, flags, io.env), io.env);
  const csvPlan = await readPlan(settings, io);
  if (settings.state) return incrementalSubmit(settings, csvPlan, io);
  if (settings.dryRun)
    io.logger.warn(
      { event: "no-state" },
      `dry run without a state store: every row is planned as on a first night; pass --state or set STATE_URL ` +
        `(the chunk job definition's value) to see tonight's selection`,
    );
  if (settings.executor === "local") return settings.dryRun ? localDryRun(settings, csvPlan, io) : localRun(settings, csvPlan, io);
  return settings.dryRun ? batchDryRun(settings, csvPlan, io) : batchSubmit(settings, csvPlan, io);
}
