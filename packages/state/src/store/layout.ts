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

/** An AWS session's `aws:userid`: `<role-unique-id>:<session name>`; for an ECS task role the session name is the task id. */
const USER_ID_RE = /^(AROA[A-Z0-9]{12,}):([A-Za-z0-9-]{1,64})$/;

/** True for a role session's `aws:userid` (`AROA...:<session>`): the caller may write under its per-task result key. */
export const isRoleSessionUserId = (userId: string): boolean => USER_ID_RE.test(userId);

/**
 * Where an AWS Batch array child writes its result record when its role may write only its own session's prefix
 * (`runs/<run>/results/by-task/${aws:userid}/p<N>.json`; docs/security.md, "Scoping each array child's result writes").
 */
export const taskResultKey = (runId: string, partition: number, userId: string) => {
  if (!USER_ID_RE.test(userId)) throw new StateError("INVALID_SETTING", `"${userId}" is not a role session's user id (AROA...:<task-id>).`);
  return `${resultsPrefix(runId)}by-task/${userId}/p${partition}.json`;
};

/**
 * The run, partition and writing session of a per-task result key, anchored: no segment holds a "/", so a key that
 * merely contains another task's prefix further down (IAM's `*` matches "/" too) is not that task's. Else undefined.
 */
export function parseTaskResultKey(key: string): { runId: string; partition: number; userId: string; taskId: string } | undefined {
  const m = /^runs\/([^/]+)\/results\/by-task\/([^/]+)\/p([1-9]\d*)\.json$/.exec(key);
  const user = m ? USER_ID_RE.exec(m[2] as string) : null;
  if (!m || !user) return undefined;
  return { runId: m[1] as string, partition: Number(m[3]), userId: m[2] as string, taskId: user[2] as string };
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
