import { JOB_ID_ENV } from "@mass-ingest/contract";
import { startRunMetrics } from "@mass-ingest/pipeline";

/**
 * Inside AWS Batch (the nightly chunk job), the run's unchanged repositories as a CloudWatch embedded-metric line
 * (ReposUnchanged, dimension Partition "selection"): only the chunker knows them, the processors never see them.
 * Written to stderr, which the awslogs driver sends to CloudWatch Logs like stdout; stdout keeps the result.
 */
export async function emitSelectionMetrics(
  run: { runId: string; unchanged: number },
  env: Readonly<Record<string, string | undefined>>,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<boolean> {
  if ((env[JOB_ID_ENV] ?? "").trim() === "") return false;
  const metrics = await startRunMetrics({ runId: run.runId, partition: "selection", emf: { write } });
  metrics.addUnchanged(run.unchanged);
  await metrics.close();
  return true;
}
