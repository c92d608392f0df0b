import type { ManifestPlan, RowRangePlan } from "@mass-ingest/batch";
import {
  ARRAY_INDEX_ENV,
  buildProcessorParameters,
  partitionOfArrayIndex,
  PROCESSOR_BIN,
  PROCESSOR_COMMAND,
  substituteCommand,
  type RowRange,
} from "@mass-ingest/contract";
import { MassIngestError, type Logger } from "@mass-ingest/core";
import { execa } from "execa";
import pLimit from "p-limit";

/**
 * Row ranges (e.g. `planBySize` of @mass-ingest/partition): one child per range with its own start/end, as a
 * per-partition AWS Batch job. The batch package's RowRangePlan, with the partition size stated.
 */
export type LocalRangeInput = Required<RowRangePlan> & { manifest?: never };

/**
 * A run manifest in the state store (the batch package's ManifestPlan): child i gets `--plan <manifest>` and array
 * index i (AWS_BATCH_JOB_ARRAY_INDEX) and runs the manifest's partition i + 1, as an AWS Batch array child would.
 */
export interface LocalManifestInput {
  manifest: ManifestPlan;
  partitions?: never;
  rowCount?: never;
  partitionSize?: never;
}

/** What the local executor runs: row ranges or a run manifest, never both (as `planSubmission` of @mass-ingest/batch). */
export type LocalRunInput = LocalRangeInput | LocalManifestInput;

export type LocalRunOptions = LocalRunInput & {
  csv: string;
  runId: string;
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
};

export interface LocalPartitionResult {
  partition: number;
  /** The partition's first row; absent for a manifest's partition (the manifest decides its rows). */
  start?: number;
  /** The partition's last row; absent for a manifest's partition. */
  end?: number;
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

/** One child process of a local run: its partition, its processor arguments, and its rows or its array index. */
export interface LocalChild {
  partition: number;
  /** The job definition's command with this child's parameters. */
  args: string[];
  /** Its rows (row ranges). */
  rows?: RowRange;
  /** Its AWS_BATCH_JOB_ARRAY_INDEX (a manifest's child). */
  arrayIndex?: number;
}

/**
 * The children of a run: per row range the per-partition form of the job definition's command (its own start/end);
 * for a manifest the array form (`--plan <manifest>`, partitions "all") with array index i for partition i + 1.
 */
export function localChildren(options: LocalRunInput & { csv: string; runId: string }): LocalChild[] {
  const command = PROCESSOR_COMMAND.slice(1);
  const common = { csv: options.csv, runId: options.runId };
  if (options.manifest) {
    const m = options.manifest;
    const parameters = { ...common, partitionSize: m.partitionSize, rowCount: m.rowCount, partitions: "all" as const, plan: m.location };
    const args = substituteCommand(command, buildProcessorParameters(parameters));
    return Array.from({ length: m.partitions }, (_, arrayIndex) => ({
      partition: partitionOfArrayIndex("all", arrayIndex),
      args,
      arrayIndex,
    }));
  }
  const sizes = { partitionSize: options.partitionSize, rowCount: options.rowCount };
  return options.partitions.map(({ partition, start, end }) => ({
    partition,
    rows: { start, end },
    args: substituteCommand(command, buildProcessorParameters({ ...common, ...sizes, start, end, partitions: [partition] })),
  }));
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
async function runPartition(partition: LocalChild, run: LocalRunShared): Promise<LocalPartitionResult> {
  const { options, program } = run;
  const args = [...run.leading, ...partition.args];
  const base = { partition: partition.partition, ...partition.rows, args };
  if (run.stop.signal.aborted) return { ...base, ok: false, skipped: true, durationMs: 0 };
  const started = Date.now();
  options.logger?.debug({ partition: partition.partition, ...partition.rows }, "partition started");
  const index = partition.arrayIndex;
  const child = await execa(program, args, {
    reject: false,
    all: true,
    env: index !== undefined ? { ...run.env, [ARRAY_INDEX_ENV]: String(index) } : run.env,
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
 * as in AWS Batch: per-partition form for row ranges, array form for a manifest), at most `parallel` at a time. Exit code 0 when all succeeded,
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
  const children = localChildren(options);
  const total = children.length;
  const results: LocalPartitionResult[] = [];
  let done = 0;
  const onAbort = () => run.stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all(
      children.map((child) =>
        limit(async () => {
          const r = await runPartition(child, run);
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
