import { statfs } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gib } from "../exec.js";
import type { Check, CheckResult } from "../types.js";

type Outcome = Omit<CheckResult, "id" | "title">;

/** pass / warn / fail of an amount against two limits. */
export function grade(bytes: number, warnBelow: number, failBelow: number): "pass" | "warn" | "fail" {
  if (bytes < failBelow) return "fail";
  if (bytes < warnBelow) return "warn";
  return "pass";
}

/** The nearest existing folder at or above `dir` (DATA_DIR may not exist yet). */
async function existingAncestor(dir: string): Promise<{ dir: string; free: number }> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const s = await statfs(current);
      return { dir: current, free: s.bavail * s.bsize };
    } catch (error) {
      const parent = path.dirname(current);
      if (parent === current) throw error;
      current = parent;
    }
  }
}

/** Free disk on DATA_DIR's filesystem against the thresholds. */
export const diskCheck: Check = {
  id: "disk",
  title: "free disk",
  async run({ dataDir, thresholds }): Promise<Outcome> {
    const { dir, free } = await existingAncestor(dataDir);
    const status = grade(free, thresholds.diskWarnBytes, thresholds.diskFailBytes);
    const detail = `${gib(free)} free on ${dir}${dir === dataDir ? "" : ` (DATA_DIR ${dataDir} does not exist yet)`}`;
    if (status === "pass") return { status, detail };
    const limit = status === "fail" ? thresholds.diskFailBytes : thresholds.diskWarnBytes;
    return {
      status,
      detail: `${detail}, below ${gib(limit)}`,
      fix: "Give DATA_DIR a bigger volume or free space: clones, LSTs and logs of a partition land there.",
    };
  },
};

/** Memory available to this process (the container's limit when lower than the machine's) against the thresholds. */
export const memoryCheck: Check = {
  id: "memory",
  title: "memory",
  async run({ thresholds }): Promise<Outcome> {
    const total = os.totalmem();
    const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
    const usable = limit && limit > 0 && limit < total ? limit : total;
    const status = grade(usable, thresholds.memoryWarnBytes, thresholds.memoryFailBytes);
    const detail = `${gib(usable)} ${usable === total ? "total" : "container limit"}, ${gib(os.freemem())} free now`;
    if (status === "pass") return { status, detail };
    const below = status === "fail" ? thresholds.memoryFailBytes : thresholds.memoryWarnBytes;
    return {
      status,
      detail: `${detail}, below ${gib(below)}`,
      fix: "Run on a machine (or job definition) with more memory, or lower BUILD_CONCURRENCY: each `mod build` needs a few GiB.",
    };
  },
};
