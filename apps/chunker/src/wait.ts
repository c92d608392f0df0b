import { waitForRun, type BatchApi, type RunStatus, type StatusTarget } from "@mass-ingest/batch";
import type { Io } from "./io.js";
import { createProgress, statusProgress } from "./progress.js";

/** Poll a run until every partition finished, showing progress (`submit --wait`, `status --wait`). */
export async function waitWithProgress(batch: BatchApi, target: StatusTarget, intervalSeconds: number, io: Io): Promise<RunStatus> {
  const progress = createProgress(io.logger);
  let started = false;
  try {
    return await waitForRun(batch, target, {
      intervalMs: intervalSeconds * 1000,
      signal: io.signal,
      onProgress: (status) => {
        if (!started) {
          progress.start(status.total, `run ${status.runId}`);
          started = true;
        }
        const p = statusProgress(status);
        progress.update(p.done, p.extra);
      },
    });
  } finally {
    progress.stop();
  }
}
