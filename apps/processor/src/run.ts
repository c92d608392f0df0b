import path from "node:path";
import { createLogger, describeError, exitCodeOf, ProcessGroups, Redactor, type Logger } from "@mass-ingest/core";
import { openCsv, resolveSecretEnv } from "@mass-ingest/core/aws";
import {
  arrayIndexFromEnv,
  EXIT,
  exitCodeForSignal,
  JOB_ID_ENV,
  RESOLVABLE_ENV_NAMES,
  SECRET_ENV_NAMES,
  countOf,
} from "@mass-ingest/contract";
import { selectJobRows, type JobRows } from "@mass-ingest/partition";
import {
  ExecaModCli,
  ingest,
  listenAll,
  logIndex,
  pruneWorkDirs,
  resolveModCommand,
  workKey,
  type PipelineResult,
} from "@mass-ingest/pipeline";
import { RunHooks } from "./hooks.js";
import { openAloneRun, runsAlone } from "./alone-run.js";
import { diagnoseOnStart, startMetrics } from "./observe.js";
import { hostMemory } from "./build-concurrency.js";
import { openPlanRun, type PlanRun } from "./plan-run.js";
import type { ProcessorFlags } from "./program.js";
import type { ProgressStream } from "./progress.js";
import { checkDataDir, childEnv, readSettings, type ProcessorSettings } from "./settings.js";

export interface ProcessorIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: { write(chunk: string): unknown };
  /** Log lines and the progress bar. */
  stderr: ProgressStream;
  /** Progress bar and readable logs when true (default: stderr is a TTY). */
  tty?: boolean;
  /** SIGTERM / SIGINT: abort with reason "SIGTERM" / "SIGINT". */
  signal?: AbortSignal;
  /** Where the CLI runner registers its process groups (so a second signal can SIGKILL them all); default its own. */
  groups?: ProcessGroups;
}

/** A failure before the run: logged (redacted) with its code and hint; the error's exit code (2: configuration). */
class Failed {
  constructor(readonly exitCode: number) {}
}

/** One processor run's shared pieces: the redactor every output goes through, and the logger. */
interface Run {
  io: ProcessorIo;
  tty: boolean;
  redactor: Redactor;
  logger: Logger;
}

function fail(run: Run, error: unknown, exitCode: number = exitCodeOf(error)): Failed {
  const e = describeError(error);
  run.logger.error({ code: e.code, hint: e.hint }, run.redactor.redact(e.message));
  return new Failed(exitCode);
}

async function step<T>(run: Run, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw fail(run, error);
  }
}

/** 1. Configuration: environment (Secrets Manager ARNs resolved, every secret registered) + flags. */
async function settingsOf(run: Run, csv: string | undefined, flags: ProcessorFlags): Promise<ProcessorSettings> {
  return step(run, async () => {
    const env = await resolveSecretEnv(run.io.env, RESOLVABLE_ENV_NAMES);
    for (const name of SECRET_ENV_NAMES) run.redactor.add(env[name]);
    const settings = readSettings(csv, flags, env, run.io.cwd);
    await checkDataDir(settings.ingest.dataDir);
    const derived = settings.derivedBuildConcurrency;
    if (derived)
      run.logger.info(
        {
          buildConcurrency: derived.build,
          memoryBytes: derived.memoryBytes,
          memorySource: derived.memorySource,
          perBuildBytes: derived.perBuildBytes,
        },
        `build concurrency ${derived.build}: ${derived.reason}`,
      );
    return settings;
  });
}

/** 2. Which rows: the plan's partition (`--plan`, minus what an earlier attempt built ok), else explicit range, array child index, or all. */
async function rowsOf(run: Run, settings: ProcessorSettings): Promise<{ rows: JobRows; plan?: PlanRun }> {
  const { rows } = settings;
  const location = settings.plan;
  if (location) {
    const partitions = typeof rows.partitions === "string" ? rows.partitions : rows.partitions.join(",");
    const limits = {
      ...(run.io.signal ? { stop: run.io.signal } : {}),
      ...(settings.ingest.deadline ? { deadline: settings.ingest.deadline } : {}),
    };
    const perBuildMiB = Math.floor(hostMemory().bytes / 1024 ** 2 / (settings.ingest.concurrency?.build ?? 1));
    const plan = await step(run, () => openPlanRun(location, rows.csv, partitions, run.io.env, run.logger, limits, perBuildMiB));
    run.logger.info(
      { plan: location, runId: plan.runId, partition: plan.partition, repos: plan.rows.repos.length, alreadyDone: plan.alreadyDone },
      `plan ${plan.runId} partition ${plan.partition}: ${countOf(plan.rows.repos.length, "repository", "repositories")} to build` +
        (plan.alreadyDone ? `, ${plan.alreadyDone} already built by an earlier attempt` : ""),
    );
    return { rows: plan.rows, plan };
  }
  return {
    rows: await step(run, () => selectJobRows({ ...rows, open: () => openCsv(rows.csv), arrayIndex: arrayIndexFromEnv(run.io.env) })),
  };
}

/**
 * 2b. A run over the whole csv (no plan, no range) knows every repository in it: the work directories of keys that
 * left the csv (kept LSTs of repositories no longer listed) are removed. A partition knows only its rows: no pruning.
 */
async function pruneLeftRows(run: Run, settings: ProcessorSettings, rows: JobRows): Promise<void> {
  if (settings.plan || rows.range) return;
  const listed = [...rows.repos, ...rows.skipped.flatMap((s) => (s.cloneUrl ? [{ cloneUrl: s.cloneUrl }] : []))];
  const workRoot = path.join(settings.ingest.dataDir, "work");
  const removed = await step(run, () => pruneWorkDirs(workRoot, listed.map(workKey)));
  if (removed.length > 0)
    run.logger.info(
      { workRoot, removed },
      `removed ${countOf(removed.length, "work directory", "work directories")} of repositories no longer in the csv`,
    );
}

/** 3. The Moderne CLI: MOD_CLI, `mod` on PATH, or modw from Maven. */
function commandOf(run: Run, settings: ProcessorSettings): Promise<string> {
  return step(run, async () => {
    const resolved = await resolveModCommand({ ...settings.mod, pathEnv: run.io.env.PATH || undefined });
    run.logger.info({ command: resolved.command, source: resolved.source, version: resolved.version }, "Moderne CLI");
    return resolved.command;
  });
}

/** 4. Git credentials, `mod config`, log store, optional `mod monitor`, the pipeline (see ingest), metrics. */
async function ingestRows(run: Run, settings: ProcessorSettings, rows: JobRows, command: string, plan?: PlanRun): Promise<PipelineResult> {
  const { io, logger, redactor } = run;
  const outline = {
    csv: settings.rows.csv,
    range: rows.range,
    repos: rows.repos.length,
    invalid: rows.skipped.length,
    dataDir: settings.ingest.dataDir,
  };
  const hooks = new RunHooks(logger, outline, run.tty && settings.output.progress ? io.stderr : undefined, io.signal, plan?.onResult);
  const runId = plan?.runId ?? settings.ingest.runId ?? io.env[JOB_ID_ENV] ?? "local";
  const partition = plan ? String(plan.partition) : logIndex(rows.range);
  const metrics = await step(run, () => startMetrics(settings, io.env, { runId, partition, stdout: io.stdout, logger }));
  try {
    const { repos, skipped, range } = rows;
    const cli = new ExecaModCli({
      command,
      env: childEnv(io.env),
      redactor,
      groups: io.groups ?? new ProcessGroups(),
      onCommand: (line) => logger.debug({ command: line }, "mod"),
    });
    return await ingest(
      {
        ...settings.ingest,
        ...(plan ? { predictedMs: plan.predictedMs } : {}),
        ...(plan?.remedies.size ? { remedies: plan.remedies } : {}),
        repos,
        skipped,
        range,
        cli,
        redactor,
        signal: io.signal,
      },
      listenAll(hooks.listener(), metrics && ((event) => metrics.onEvent(event))),
    );
  } catch (error) {
    // Before the pipeline started: bad configuration (the error's code); after: the run failed (exit 1).
    throw hooks.reporter ? fail(run, error, EXIT.someFailed) : fail(run, error);
  } finally {
    hooks.stop();
    await metrics?.close();
  }
}

/** 5. The summary on stdout and the exit code. */
function finish(run: Run, result: PipelineResult): number {
  const { io, logger, redactor } = run;
  io.stdout.write(`${redactor.redact(result.summary)}\n`);
  if (!run.tty) logger.info({ totals: result.report.totals, report: result.reportFile, durationMs: result.report.durationMs }, "done");
  if (io.signal?.aborted) return exitCodeForSignal(io.signal.reason);
  const t = result.report.totals;
  // Logs or a report that could not be uploaded are lost with the container: the run failed.
  return t.ok === t.repos && result.failedUploads.length === 0 ? EXIT.ok : EXIT.someFailed;
}

/** Run the processor for the parsed command line; resolves to the exit code. Never calls process.exit. */
export async function runProcessor(csv: string | undefined, flags: ProcessorFlags, io: ProcessorIo): Promise<number> {
  const tty = !flags.json && (io.tty ?? io.stderr.isTTY === true);
  // One redactor for the log, error messages, the CLI's command lines and the report. Values known to be secret
  // before resolution (an ARN is not secret, but plain values are).
  const redactor = new Redactor(SECRET_ENV_NAMES.map((name) => io.env[name]));
  const run: Run = { io, tty, redactor, logger: createLogger({ name: "processor", pretty: tty, redactor, destination: io.stderr }) };
  try {
    const settings = await settingsOf(run, csv, flags);
    if (!(await step(run, () => diagnoseOnStart(settings, io.env, { logger: run.logger, tty, stderr: io.stderr, signal: io.signal }))))
      return EXIT.badInput;
    const selected = await rowsOf(run, settings);
    await pruneLeftRows(run, settings, selected.rows);
    let plan = selected.plan;
    try {
      if (plan && selected.rows.repos.length === 0) return EXIT.ok; // an earlier attempt built every planned repository
      const command = await commandOf(run, settings);
      if (!plan && runsAlone(settings, selected.rows, io.env)) {
        plan = await step(run, () => openAloneRun(settings, selected.rows, command, io.env, run.logger, redactor));
        if (!plan) {
          const invalid = selected.rows.skipped.length;
          io.stdout.write(
            `nothing to build: every repository is unchanged since its last build (state ${settings.state})${invalid ? `; ${invalid} invalid row(s) skipped` : ""}\n`,
          );
          return invalid ? EXIT.someFailed : EXIT.ok;
        }
      }
      await plan?.begin(command);
      return finish(run, await ingestRows(run, settings, plan?.rows ?? selected.rows, command, plan));
    } finally {
      await plan?.close();
    }
  } catch (error) {
    if (error instanceof Failed) return error.exitCode;
    throw error;
  }
}
