import { createBatchApi, getRunStatus } from "@mass-ingest/batch";
import { MassIngestError } from "@mass-ingest/core";
import { z } from "zod";
import type { Io } from "../../io.js";
import { parseSettings, wholeNumber } from "../../settings.js";
import { FLAG_DEFAULTS } from "../flag-defaults.js";
import { asksBatch, targetInput, targetSchema, type TargetFlags } from "../../target.js";
import { waitWithProgress } from "../../wait.js";
import { stateLocation } from "../../state/location.js";
import { formatStatus } from "./format.js";
import { closeStateRun, formatRunSummary, runNotOk, stateStatus } from "./state-status.js";

export interface StatusFlags extends TargetFlags {
  state?: string;
  close?: boolean;
  reason?: string;
  wait?: boolean;
  json?: boolean;
  interval?: string;
}

const statusSchema = (wait: boolean) =>
  z.object({
    target: targetSchema,
    wait: z.boolean(),
    json: z.boolean(),
    interval: wait ? wholeNumber("--interval", undefined, FLAG_DEFAULTS.interval) : z.unknown().transform(() => FLAG_DEFAULTS.interval),
  });

/** Flags + environment -> the validated settings of `status` on AWS Batch (MassIngestError, exit 2, when wrong). */
export function statusSettings(target: string, flags: StatusFlags, env: Io["env"]): z.output<ReturnType<typeof statusSchema>> {
  const wait = flags.wait === true;
  return parseSettings(statusSchema(wait), {
    target: targetInput(target, flags, env),
    wait,
    json: flags.json === true,
    interval: flags.interval,
  });
}

/** `status <target>`: counts by status and the failed partitions; exit 1 if any failed. */
export async function statusCommand(target: string, flags: StatusFlags, io: Io): Promise<number> {
  const state = stateLocation(flags.state, io.env, !asksBatch(target, flags, io.env));
  if (flags.close) await closeCommand(state, target, flags, io);
  if (state) return stateStatusCommand(state, target, flags, io);
  const settings = statusSettings(target, flags, io.env);
  const batch = createBatchApi();
  const status = settings.wait
    ? await waitWithProgress(batch, settings.target, settings.interval, io)
    : await getRunStatus(batch, settings.target);
  io.stdout(settings.json ? JSON.stringify(status, null, 2) : formatStatus(status));
  return status.failed.length > 0 ? 1 : 0;
}

/** `status --close`: close the run (a run id or latest) in the state store, say what was recorded; the status follows. */
async function closeCommand(state: string | undefined, target: string, flags: StatusFlags, io: Io): Promise<void> {
  if (!state || target === "all" || flags.wait) {
    throw new MassIngestError(
      "CLOSE_NEEDS_RUN",
      `status --close closes one run of a state store; got ${state ? target : "no state store"}${flags.wait ? " with --wait" : ""}.`,
      {
        exitCode: 2,
        hint: "Give a run id or latest, with --state (or STATE_URL; default <DATA_DIR>/state), without --wait.",
      },
    );
  }
  const line = await closeStateRun(state, target, flags.reason, io);
  if (!flags.json) io.stdout(line);
}

/** `status` with a state store: per run ok / failed / timed out / unchanged / not started and the makespans; exit 1 when any failed, did not finish or there is no run. */
async function stateStatusCommand(state: string, target: string, flags: StatusFlags, io: Io): Promise<number> {
  const summaries = await stateStatus(state, target, io);
  io.stdout(flags.json ? JSON.stringify(summaries, null, 2) : summaries.map(formatRunSummary).join("\n") || `no runs in ${state}`);
  // Exit 1 for a run that failed, did not finish (interrupted, never ran), or for no run at all.
  return summaries.length === 0 || summaries.some(runNotOk) ? 1 : 0;
}
