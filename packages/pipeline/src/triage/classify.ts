/**
 * Assigns a failure cause to one failed repository from what the run knows of it: its outcome (a timeout is a
 * timeout whatever the log says), the step that failed, how the process ended and the meaningful lines of its log.
 */
import { FAILURE_CAUSES, isFailureCause, MOD_STEPS, type FailureCause, type ModStep } from "@mass-ingest/contract";
import { PipelineError } from "../errors.js";
import { BUILTIN_RULES, type TriageRule } from "./rules.js";

/** What is known of one failed repository. */
export interface FailureEvidence {
  outcome: "failed" | "timed-out";
  /** The step that failed (absent when unknown). */
  step?: ModStep;
  /** Exit code of the step's process, when one ended. */
  exitCode?: number;
  /** The signal that ended it, e.g. SIGKILL from an OOM kill. */
  signal?: string;
  /** The first error line and the log's meaningful lines, in order. */
  lines: readonly string[];
}

/** A cause and the line that showed it (absent when the cause came from the outcome or the exit alone). */
export interface Classification {
  cause: FailureCause;
  evidence?: string;
}

/** Classifies one failure: user rules first, then the built-in table; a timeout wins, nothing matched is `unknown`. */
export function classifyFailure(input: FailureEvidence, extraRules: readonly TriageRule[] = []): Classification {
  if (input.outcome === "timed-out") return { cause: "timeout" };
  for (const rule of [...extraRules, ...BUILTIN_RULES]) {
    if (rule.steps && (!input.step || !rule.steps.includes(input.step))) continue;
    const line = input.lines.find((l) => rule.pattern.test(l));
    if (line !== undefined) return { cause: rule.cause, evidence: line };
  }
  // The kernel's OOM killer leaves no line: a SIGKILL (137) of a build that was not ours to kill is memory.
  if (input.signal === "SIGKILL" || input.exitCode === 137) return { cause: "memory" };
  return { cause: "unknown" };
}

/** Reads user rules (a JSON array of `{cause, pattern, flags?, steps?, note?}`); `source` names the file in errors. */
export function parseTriageRules(json: string, source: string): TriageRule[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw invalid(source, `not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw invalid(source, "not a JSON array");
  return value.map((item, i) => parseRule(item, `${source}: rule ${i}`));
}

function parseRule(item: unknown, where: string): TriageRule {
  const r = (item ?? {}) as Record<string, unknown>;
  if (typeof r.cause !== "string" || !isFailureCause(r.cause)) throw invalid(where, `"cause" must be one of ${FAILURE_CAUSES.join(", ")}`);
  if (typeof r.pattern !== "string" || r.pattern === "") throw invalid(where, `"pattern" must be a regular expression`);
  const flags = r.flags === undefined ? "i" : r.flags;
  if (typeof flags !== "string" || !/^[imsu]*$/.test(flags)) throw invalid(where, `"flags" may hold only i, m, s, u`);
  const steps = r.steps;
  if (steps !== undefined && !(Array.isArray(steps) && steps.every((s) => (MOD_STEPS as readonly unknown[]).includes(s)))) {
    throw invalid(where, `"steps" must be a list of ${MOD_STEPS.join(", ")}`);
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(r.pattern, flags);
  } catch (error) {
    throw invalid(where, `bad pattern: ${(error as Error).message}`);
  }
  return { cause: r.cause, pattern, steps: steps as ModStep[] | undefined, note: typeof r.note === "string" ? r.note : "from the config" };
}

function invalid(where: string, what: string): PipelineError {
  return new PipelineError("CONFIG_INVALID", `triage rules ${where}: ${what}`, {
    hint: `write a JSON array of {"cause": "...", "pattern": "..."}; the causes are listed in docs/triage.md`,
  });
}

const MOD_STEP_OF: Partial<Record<string, ModStep>> = {
  sync: "sync",
  "sync-log": "sync",
  build: "build",
  "build-log": "build",
  publish: "publish",
};

/**
 * The cause of one failed or timed-out repository result, from its failed step, that step's exit code and its
 * reason (which ends with the CLI's last output lines); undefined for any other status.
 */
export function classifyResult(
  result: { status: string; failedStep?: string; reason?: string; exitCodes: Partial<Record<string, number | null>> },
  extraRules: readonly TriageRule[] = [],
): Classification | undefined {
  if (result.status !== "failed" && result.status !== "timed-out") return undefined;
  const step = result.failedStep ? MOD_STEP_OF[result.failedStep] : undefined;
  const exitCode = result.failedStep ? result.exitCodes[result.failedStep] : undefined;
  return classifyFailure(
    {
      outcome: result.status,
      ...(step ? { step } : {}),
      ...(typeof exitCode === "number" ? { exitCode } : {}),
      lines: (result.reason ?? "").split(/\r?\n/).filter((l) => l.trim() !== ""),
    },
    extraRules,
  );
}
