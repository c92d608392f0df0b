import {
  ARRAY_INDEX_ENV,
  buildProcessorParameters,
  PROCESSOR_BIN,
  PROCESSOR_COMMAND,
  PROCESSOR_PARAMETERS,
  substituteCommand,
} from "@mass-ingest/contract";
import { MassIngestError, type Logger } from "@mass-ingest/core";
import type { RangePartition } from "@mass-ingest/partition";
import { execa } from "execa";
import pLimit from "p-limit";

export interface LocalRunOptions {
  partitions: readonly RangePartition[];
  csv: string;
  partitionSize: number;
  rowCount: number;
  runId: string;
  /**
   * The run's manifest in the state store: each child gets `--plan <manifest>` and its array index
   * (AWS_BATCH_JOB_ARRAY_INDEX = its position in `partitions`), as an AWS Batch array child would.
   */
  plan?: string;
  /** The processor command (program + leading args); default ["mass-ingest-processor"] from PATH. */
  command?: readonly string[];
  /** Partitions running at once (default 2). */
  parallel?: number;
  /** Extra environment for the children. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Stop: running children get SIGTERM, queued partitions are not started. */
  signal?: AbortSignal;
  /** Keep this many characters of each child's output (stdout + stderr) for the report (default 4000). */
  outputTail?: number;
  /** Where children's output goes: kept as a tail only (default), or also passed through to ours. */
  output?: "tail" | "inherit";
  logger?: Logger;
  onPartitionDone?: (result: LocalPartitionResult, done: number, total: number) => void;
}

export interface LocalPartitionResult {
  partition: number;
  start: number;
  end: number;
  /** Exit code, undefined when killed by a signal or not started. */
  exitCode?: number;
  signal?: string;
  ok: boolean;
  /** Not started because the run was stopped. */
  skipped?: boolean;
  durationMs: number;
  /** Last characters of its output (for failed partitions). */
  output?: string;
  args: string[];
}

export interface LocalRunResult {
  runId: string;
  /** 0 all ok · 1 some failed · 2 bad input (every partition said 2) · 130/143 stopped. */
  exitCode: 0 | 1 | 2 | 130 | 143;
  partitions: LocalPartitionResult[];
  succeeded: number;
  failed: number;
}

/**
 * The processor arguments for one partition: the job definition's command with the per-partition parameters, or
 * with a plan the array form (`--plan <manifest>`, rows by array index).
 */
export function localProcessorArgs(options: {
  partition: RangePartition;
  csv: string;
  partitionSize: number;
  rowCount: number;
  runId: string;
  plan?: string;
}): string[] {
  const common = { csv: options.csv, partitionSize: options.partitionSize, rowCount: options.rowCount, runId: options.runId };
  if (options.plan) {
    return substituteCommand(PROCESSOR_COMMAND.slice(1), {
      ...buildProcessorParameters({ ...common, partitions: "all" }),
      [PROCESSOR_PARAMETERS.plan]: options.plan,
    });
  }
  const parameters = buildProcessorParameters({
    ...common,
    start: options.partition.start,
    end: options.partition.end,
    partitions: [options.partition.partition],
  });
  return substituteCommand(PROCESSOR_COMMAND.slice(1), parameters);
}

/** What every partition of one local run shares. */
interface LocalRunShared {
  options: LocalRunOptions;
  program: string;
  leading: string[];
  env: Record<string, string | undefined>;
  /** Aborted at the caller's signal, or when the processor cannot be started. */
  stop: AbortController;
  /** Set when the processor cannot be started (the run then stops). */
  notFound?: MassIngestError;
}

/** Run one partition as a child process; skipped (not started) once the run is stopped. */
async function runPartition(partition: RangePartition, index: number, run: LocalRunShared): Promise<LocalPartitionResult> {
  const { options, program } = run;
  const args = [...run.leading, ...localProcessorArgs({ ...options, partition })];
  const base = { partition: partition.partition, start: partition.start, end: partition.end, args };
  if (run.stop.signal.aborted) return { ...base, ok: false, skipped: true, durationMs: 0 };
  const started = Date.now();
  options.logger?.debug({ partition: partition.partition, start: partition.start, end: partition.end }, "partition started");
  const child = await execa(program, args, {
    reject: false,
    all: true,
    env: options.plan ? { ...run.env, [ARRAY_INDEX_ENV]: String(index) } : run.env,
    extendEnv: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    cancelSignal: run.stop.signal,
    forceKillAfterDelay: 10_000,
    killSignal: "SIGTERM",
    stdin: "ignore",
    ...(options.output === "inherit" ? { stdout: ["pipe", "inherit"], stderr: ["pipe", "inherit"] } : {}),
    maxBuffer: 64 * 1024 * 1024,
  });
  const durationMs = Date.now() - started;
  const spawnCode = (child as { code?: string }).code ?? (child.cause as { code?: string } | undefined)?.code;
  if (child.exitCode === undefined && !child.signal && (spawnCode === "ENOENT" || spawnCode === "EACCES")) {
    run.notFound ??= new MassIngestError("PROCESSOR_NOT_FOUND", `Cannot start the processor "${program}" (${spawnCode}).`, {
      hint: `Install ${PROCESSOR_BIN} on PATH or pass the processor command (--processor "node apps/processor/dist/main.js").`,
    });
    run.stop.abort(run.notFound);
    return { ...base, ok: false, skipped: true, durationMs };
  }
  const output = typeof child.all === "string" ? child.all.slice(-(options.outputTail ?? 4000)) : undefined;
  return {
    ...base,
    ...(child.exitCode !== undefined ? { exitCode: child.exitCode } : {}),
    ...(child.signal ? { signal: child.signal } : {}),
    ok: child.exitCode === 0,
    ...(child.isCanceled && child.exitCode === undefined ? { skipped: false } : {}),
    durationMs,
    ...(child.exitCode !== 0 && output ? { output } : {}),
  };
}

/** 130/143 when stopped by the signal, 0 all ok, 2 when every partition that ran said bad input, else 1. */
function runExitCode(
  results: readonly LocalPartitionResult[],
  failed: number,
  signal: AbortSignal | undefined,
): LocalRunResult["exitCode"] {
  const ran = results.filter((r) => !r.skipped);
  if (signal?.aborted) {
    const reason = signal.reason as { signal?: string } | string | undefined;
    return reason === "SIGTERM" || (typeof reason === "object" && reason?.signal === "SIGTERM") ? 143 : 130;
  }
  if (failed === 0) return 0;
  if (ran.length > 0 && ran.every((r) => r.exitCode === 2)) return 2;
  return 1;
}

/**
 * The single-host executor: run each partition with the processor as a child process (same command line
 * as in AWS Batch, per-partition form), at most `parallel` at a time. Exit code 0 when all succeeded,
 * 1 when some failed, 2 when every partition reported bad input; throws MassIngestError "PROCESSOR_NOT_FOUND"
 * (exit 2) when the command cannot be started.
 */
export async function runLocal(options: LocalRunOptions): Promise<LocalRunResult> {
  const command = options.command && options.command.length > 0 ? options.command : [PROCESSOR_BIN];
  const [program, ...leading] = command as [string, ...string[]];
  const run: LocalRunShared = {
    options,
    program,
    leading,
    env: { ...options.env, [ARRAY_INDEX_ENV]: undefined },
    stop: new AbortController(),
  };
  const limit = pLimit(Math.max(1, options.parallel ?? 2));
  const total = options.partitions.length;
  const results: LocalPartitionResult[] = [];
  let done = 0;
  const onAbort = () => run.stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all(
      options.partitions.map((partition, index) =>
        limit(async () => {
          const r = await runPartition(partition, index, run);
          results.push(r);
          done++;
          if (!r.skipped) {
            options.logger?.[r.ok ? "debug" : "warn"](
              { partition: r.partition, start: r.start, end: r.end, exitCode: r.exitCode, signal: r.signal, durationMs: r.durationMs },
              `partition ${r.partition} ${r.ok ? "succeeded" : "failed"}`,
            );
          }
          options.onPartitionDone?.(r, done, total);
        }),
      ),
    );
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
  if (run.notFound) throw run.notFound;
  results.sort((a, b) => a.partition - b.partition);
  const succeeded = results.filter((r) => !r.skipped && r.ok).length;
  const failed = results.length - succeeded;
  return { runId: options.runId, exitCode: runExitCode(results, failed, options.signal), partitions: results, succeeded, failed };
}
