/** Where each record lives below the state root. */
import { StateError } from "../errors.js";

export const STATE_KEY = "state.json";
export const RUNS_PREFIX = "runs/";

const RUN_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A run id is part of object keys: letters, digits, ".", "_" and "-" only (no "/", no ".."). */
export function checkRunId(runId: string): string {
  if (!RUN_ID_RE.test(runId) || runId.includes("..")) {
    throw new StateError("INVALID_RUN_ID", `Run id "${runId}" cannot name a folder of the state store.`, {
      hint: 'Use letters, digits, ".", "_" and "-" (up to 128, first alphanumeric).',
    });
  }
  return runId;
}

export const manifestKey = (runId: string) => `${RUNS_PREFIX}${checkRunId(runId)}/manifest.json`;
export const selectionKey = (runId: string) => `${RUNS_PREFIX}${checkRunId(runId)}/selection.json`;
export const resultsPrefix = (runId: string) => `${RUNS_PREFIX}${checkRunId(runId)}/results/`;
export const resultKey = (runId: string, partition: number) => `${resultsPrefix(runId)}p${partition}.json`;

/** The partition number of a result key, or undefined for anything else. */
export function partitionOfResultKey(key: string): number | undefined {
  const m = /\/results\/p([1-9]\d*)\.json$/.exec(key);
  return m ? Number(m[1]) : undefined;
}

/** Split a plan location (`<root>/runs/<runId>/manifest.json`) into the store root and the run id. */
export function splitPlanLocation(location: string): { root: string; runId: string } {
  const m = /^(.*?)[/\\]runs[/\\]([^/\\]+)[/\\]manifest\.json$/.exec(location.trim());
  if (!m) {
    throw new StateError("INVALID_PLAN", `"${location}" is not a run manifest location (<state>/runs/<runId>/manifest.json).`, {
      hint: "Pass --plan the manifest location the chunker printed, or leave --plan out to plan by rows.",
    });
  }
  return { root: m[1] as string, runId: checkRunId(m[2] as string) };
}
