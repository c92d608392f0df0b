import { CommanderError } from "commander";
import { arrayIndexFromEnv, createLogger, Redactor, resolveSecretEnv, selectJobRows, type JobRows } from "@mass-ingest/batch";
import { ingest, resolveModCommand, type ExecaModCli, type PipelineResult } from "@mass-ingest/pipeline";
import { createProgram, parseArgs, type ProcessorArgs } from "./args.js";
import { childEnv, loadConfig, RESOLVABLE_ENV_NAMES, SECRET_ENV_NAMES, type ProcessorConfig } from "./config.js";
import { barReporter, logReporter, type Reporter } from "./progress.js";

/** Exit codes of DESIGN.md. */
export const EXIT = { ok: 0, someFailed: 1, badInput: 2, sigint: 130, sigterm: 143 } as const;

export interface ProcessorIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Progress bar and readable logs when true (default: stderr is a TTY). */
  tty?: boolean;
  /** SIGTERM / SIGINT: abort with reason "SIGTERM" / "SIGINT". */
  signal?: AbortSignal;
  /** Called with the CLI runner once it exists (so a second signal can SIGKILL its children). */
  onCli?: (cli: ExecaModCli) => void;
}

const interruptedExit = (signal?: AbortSignal) => (signal?.reason === "SIGINT" ? EXIT.sigint : EXIT.sigterm);

function describeError(error: unknown): { code?: string; message: string; hint?: string } {
  const e = error as { code?: unknown; message?: unknown; hint?: unknown };
  const out: { code?: string; message: string; hint?: string } = { message: typeof e?.message === "string" ? e.message : String(error) };
  if (typeof e?.code === "string") out.code = e.code;
  if (typeof e?.hint === "string") out.hint = e.hint;
  return out;
}

/** Run the processor with `argv` (user arguments only); resolves to the exit code. Never calls process.exit. */
export async function runProcessor(argv: readonly string[], io: ProcessorIo): Promise<number> {
  const write = (s: string) => io.stdout.write(s);
  let args: ProcessorArgs;
  try {
    args = parseArgs(argv, createProgram({ out: write, err: (s) => io.stderr.write(s) }));
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT.ok;
      io.stderr.write(`${error.message}\nRun with --help for usage.\n`);
      return EXIT.badInput;
    }
    throw error;
  }
  const tty = !args.json && (io.tty ?? (io.stderr as NodeJS.WriteStream).isTTY === true);
  // One redactor for the log, error messages, the CLI's command lines and the report.
  // Values known to be secret before resolution (an ARN is not secret, but plain values are).
  const redactor = new Redactor(SECRET_ENV_NAMES.map((name) => io.env[name]));
  const logger = createLogger({ name: "processor", pretty: tty, redactor, destination: io.stderr });
  const fail = (error: unknown, exit: number = EXIT.badInput): number => {
    const e = describeError(error);
    const message = redactor.redact(e.message);
    logger.error({ code: e.code, hint: e.hint }, message);
    return exit;
  };

  // 1. Configuration: env (Secrets Manager ARNs resolved) + flags.
  let config: ProcessorConfig;
  try {
    const env = await resolveSecretEnv(io.env, RESOLVABLE_ENV_NAMES);
    for (const name of SECRET_ENV_NAMES) redactor.add(env[name]);
    config = loadConfig(args, env, io.cwd);
  } catch (error) {
    return fail(error);
  }

  // 2. Which rows: explicit range, array child index, or all.
  let rows: JobRows;
  try {
    rows = await selectJobRows({
      csv: config.csv,
      start: args.start,
      end: args.end,
      partitions: args.partitions,
      partitionSize: args.partitionSize,
      rowCount: args.rowCount,
      organization: args.organization,
      arrayIndex: arrayIndexFromEnv(io.env),
    });
  } catch (error) {
    return fail(error);
  }
  const { range, repos, skipped } = rows;

  // 3. The Moderne CLI: MOD_CLI, `mod` on PATH, or modw from Maven.
  let command: string;
  try {
    const resolved = await resolveModCommand({
      modCli: config.modCli,
      pathEnv: io.env.PATH || undefined,
      mavenRepository: config.mavenRepository,
      cacheDir: config.modwCacheDir,
    });
    command = resolved.command;
    logger.info({ command, source: resolved.source, version: resolved.version }, "Moderne CLI");
  } catch (error) {
    return fail(error);
  }

  // 4. Git credentials, `mod config`, log store, optional `mod monitor`, the pipeline (see ingest).
  let reporter: Reporter | undefined;
  let result: PipelineResult;
  try {
    result = await ingest(
      {
        repos,
        skipped,
        range,
        command,
        env: childEnv(io.env),
        dataDir: config.dataDir,
        runId: args.runId,
        batchSize: config.batchSize,
        concurrency: config.concurrency,
        buildTimeoutMs: config.buildTimeoutMs,
        tenant: { tenant: config.tenant, token: config.tenantToken },
        publish: {
          url: config.publishUrl,
          user: config.publishUser,
          password: config.publishPassword,
          token: config.publishToken,
          s3Endpoint: config.s3Endpoint,
          s3Profile: config.s3Profile,
          s3Region: config.s3Region,
        },
        caFile: config.caFile,
        insecure: config.insecure,
        gitCredentials: config.gitCredentials,
        sshKey: config.gitSshKey,
        monitorPort: config.monitorPort,
        redactor,
        signal: io.signal,
      },
      {
        onCli: (cli) => io.onCli?.(cli),
        onCommand: (line) => logger.debug({ command: line }, "mod"),
        onConfigured: ({ commands }) => {
          for (const line of commands) logger.info({ command: line }, "configured the Moderne CLI");
        },
        onStart: ({ store }) => {
          if (!store && !io.signal?.aborted) {
            logger.warn({ dataDir: config.dataDir }, "No PUBLISH_URL: LSTs and log zips are kept under the data directory, nothing is published.");
          }
          const total = repos.length + skipped.length;
          reporter = tty && args.progress ? barReporter(total, io.stderr as NodeJS.WriteStream) : logReporter(logger);
          logger.info(
            { csv: config.csv, rows: range ? `${range.start}-${range.end}` : "all", partition: range?.partition, repos: repos.length, invalid: skipped.length, dataDir: config.dataDir, publish: store ?? "none" },
            "ingesting",
          );
        },
        onUploadRetry: ({ key, attempt, error }) => logger.warn({ key, attempt, error }, "upload failed; retrying"),
        onMonitorStopped: ({ exitCode, outputTail }) => logger.warn({ exitCode, output: outputTail.slice(-300) }, "mod monitor stopped early"),
        onEvent: (event) => reporter?.onEvent(event),
      },
    );
  } catch (error) {
    // Before the pipeline started: bad configuration (exit 2); after: the run failed (exit 1).
    if (!reporter) return fail(error);
    reporter.stop();
    return fail(error, EXIT.someFailed);
  }
  reporter?.stop();
  write(`${redactor.redact(result.summary)}\n`);
  if (!tty) logger.info({ totals: result.report.totals, report: result.reportFile, durationMs: result.report.durationMs }, "done");
  if (io.signal?.aborted) return interruptedExit(io.signal);
  const t = result.report.totals;
  return t.ok === t.repos ? EXIT.ok : EXIT.someFailed;
}
