import { describeError } from "@mass-ingest/core";
import pLimit from "p-limit";
import type { Check, CheckContext, CheckResult } from "./types.js";

/** The check's outcome, or a fail when it throws or does not finish within `timeoutMs` (then its signal aborts). */
export async function runOne(
  check: Check,
  context: Omit<CheckContext, "signal">,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<CheckResult> {
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const settled = await Promise.race([check.run({ ...context, signal: controller.signal }), timedOut]);
    if (settled === "timeout") {
      controller.abort("timeout");
      return {
        id: check.id,
        title: check.title,
        status: "fail",
        detail: `did not finish within ${Math.round(timeoutMs / 1000)} s`,
        fix: "Something it talks to does not answer: run the check alone (--only) and look at the network path.",
      };
    }
    return { id: check.id, title: check.title, ...settled };
  } catch (error) {
    const e = describeError(error);
    return {
      id: check.id,
      title: check.title,
      status: "fail",
      detail: `${e.code ? `[${e.code}] ` : ""}${e.message}`,
      fix: e.hint ?? "See the message.",
    };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuter);
  }
}

/** Run the checks, `concurrency` at once; results in the checks' order. */
export async function runChecks(
  checks: readonly Check[],
  context: Omit<CheckContext, "signal">,
  limits: { concurrency: number; timeoutMs: number; signal?: AbortSignal },
): Promise<CheckResult[]> {
  const limit = pLimit(limits.concurrency);
  return Promise.all(checks.map((check) => limit(() => runOne(check, context, limits.timeoutMs, limits.signal))));
}
