import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { CommanderError } from "commander";
import { ARRAY_INDEX_ENV, createLogger, openCsv, parsePartitions, resolveProcessorRange, resolveSecretEnv } from "@mass-ingest/batch";
import { countRows, selectRange, readRepos, type ReadResult } from "@mass-ingest/partition";
import {
  configureMod,
  createLogStore,
  ExecaModCli,
  logIndex,
  prepareGitAuth,
  Redactor,
  resolveModCommand,
  runPipeline,
  type LogStore,
  type SkippedRow,
} from "@mass-ingest/pipeline";
import { createProgram, parseArgs, type ProcessorArgs } from "./args.js";
import { childEnv, ConfigError, loadConfig, RESOLVABLE_ENV_NAMES, SECRET_ENV_NAMES, type ProcessorConfig } from "./config.js";
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
  const redactor = new Redactor();
  // Values known to be secret before resolution (an ARN is not secret, but plain values are).
  for (const name of SECRET_ENV_NAMES) redactor.add(io.env[name]);
  const logger = createLogger({ name: "processor", pretty: tty, secrets: redactor.values, destination: io.stderr });
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
    for (const name of SECRET_ENV_NAMES) {
      redactor.add(env[name]);
      if (env[name]) logger.addSecret(env[name]!);
    }
    config = loadConfig(args, env, io.cwd);
    if (args.start > 0 !== args.end > 0) throw new ConfigError("CONFIG_INVALID", `--start and --end must be given together (got --start ${args.start} --end ${args.end}).`, "Give both, or neither (0 = not set).");
    if (args.start > args.end) throw new ConfigError("CONFIG_INVALID", `--start ${args.start} is after --end ${args.end}.`, "Rows are 1-based and inclusive: --start <= --end.");
  } catch (error) {
    return fail(error);
  }
  for (const secret of redactor.values) logger.addSecret(secret);

  // 2. Which rows: explicit range, array child index, or all.
  let range: { start: number; end: number; partition?: number } | undefined;
  let read: ReadResult;
  try {
    const partitions = parsePartitions(args.partitions);
    const rawIndex = io.env[ARRAY_INDEX_ENV];
    const arrayIndex = rawIndex !== undefined && rawIndex.trim() !== "" ? Number(rawIndex) : undefined;
    let rowCount = args.rowCount;
    const explicit = args.start > 0 && args.end > 0;
    if (rowCount > 0 || (!explicit && (arrayIndex !== undefined || partitions !== "all"))) {
      const actual = await countRows(await openCsv(config.csv));
      if (rowCount > 0 && actual !== rowCount) {
        throw new ConfigError("CSV_CHANGED", `${config.csv} has ${actual} rows but the run was planned for --row-count ${rowCount}.`, "The csv changed since the run was planned: re-plan the run (chunker) or pass the current row count.");
      }
      rowCount = actual;
    }
    const resolved = resolveProcessorRange({ start: args.start, end: args.end, partitions, partitionSize: args.partitionSize, rowCount }, arrayIndex);
    if (resolved !== "all") range = resolved;
    const source = await openCsv(config.csv);
    read = range ? await selectRange(source, { start: range.start, end: range.end }, { mode: "lenient" }) : await readRepos(source, { mode: "lenient" });
  } catch (error) {
    return fail(error);
  }
  let repos = read.repos;
  if (args.organization) repos = repos.filter((r) => r.orgs.includes(args.organization!));
  const skipped: SkippedRow[] = [];
  const issuesByRow = new Map<number, string[]>();
  for (const issue of [...read.issues, ...read.duplicates]) {
    const list = issuesByRow.get(issue.row) ?? [];
    list.push(`${issue.code}: ${issue.message}`);
    issuesByRow.set(issue.row, list);
  }
  for (const [row, messages] of issuesByRow) skipped.push({ row, reason: `invalid row, not ingested: ${messages.join("; ")}` });
  if (repos.length === 0 && skipped.length === 0) {
    return fail(new ConfigError("NOTHING_SELECTED", `${range ? `rows ${range.start}-${range.end}` : "the csv"}${args.organization ? ` with organization ${args.organization}` : ""} selects no repositories in ${config.csv}.`, "Check --start/--end, --organization and the csv."));
  }

  // 3. The Moderne CLI: MOD_CLI, `mod` on PATH, or modw from Maven.
  let command: string;
  try {
    const resolved = await resolveModCommand({
      ...(config.modCli ? { modCli: config.modCli } : {}),
      ...(io.env.PATH ? { pathEnv: io.env.PATH } : {}),
      ...(config.mavenRepository ? { mavenRepository: config.mavenRepository } : {}),
      ...(config.modwCacheDir ? { cacheDir: config.modwCacheDir } : {}),
    });
    command = resolved.command;
    logger.info({ command, source: resolved.source, version: resolved.version }, "Moderne CLI");
  } catch (error) {
    return fail(error);
  }

  // 4. Git credentials for the CLI's git, then configure the CLI once.
  await mkdir(config.dataDir, { recursive: true });
  let gitEnv: Record<string, string>;
  try {
    gitEnv = await prepareGitAuth({
      ...(config.gitCredentials ? { gitCredentials: config.gitCredentials } : {}),
      ...(config.gitSshKey ? { sshKey: config.gitSshKey } : {}),
      dir: path.join(config.dataDir, ".auth"),
      redactor,
    });
  } catch (error) {
    return fail(error);
  }
  for (const secret of redactor.values) logger.addSecret(secret);
  const cli = new ExecaModCli({
    command,
    env: childEnv(io.env, gitEnv),
    redactor,
    onCommand: (line) => logger.debug({ command: line }, "mod"),
  });
  io.onCli?.(cli);
  const publishSettings = {
    ...(config.publishUrl ? { url: config.publishUrl } : {}),
    ...(config.publishUser ? { user: config.publishUser } : {}),
    ...(config.publishPassword ? { password: config.publishPassword } : {}),
    ...(config.publishToken ? { token: config.publishToken } : {}),
    ...(config.s3Endpoint ? { s3Endpoint: config.s3Endpoint } : {}),
    ...(config.s3Profile ? { s3Profile: config.s3Profile } : {}),
    ...(config.s3Region ? { s3Region: config.s3Region } : {}),
  };
  let store: Awaited<ReturnType<typeof configureMod>>["store"];
  let logStore: LogStore | undefined;
  try {
    const configured = await configureMod(
      cli,
      { tenant: { ...(config.tenant ? { tenant: config.tenant } : {}), ...(config.tenantToken ? { token: config.tenantToken } : {}) }, publish: publishSettings },
      io.signal ? { signal: io.signal } : {},
    );
    for (const line of configured.commands) logger.info({ command: line }, "configured the Moderne CLI");
    store = configured.store;
    if (config.publishUrl) {
      logStore = createLogStore(config.publishUrl, {
        http: {
          ...(config.publishUser ? { user: config.publishUser } : {}),
          ...(config.publishPassword ? { password: config.publishPassword } : {}),
          ...(config.publishToken ? { token: config.publishToken } : {}),
          ...(config.caFile ? { caFile: config.caFile } : {}),
          insecure: config.insecure,
          onRetry: ({ key, attempt, error }) => logger.warn({ key, attempt, error: redactor.redact(error) }, "upload failed; retrying"),
        },
        s3: {
          ...(config.s3Endpoint ? { endpoint: config.s3Endpoint } : {}),
          ...(config.s3Region ? { region: config.s3Region } : {}),
          ...(config.s3Profile ? { profile: config.s3Profile } : {}),
        },
      });
    }
  } catch (error) {
    if (!io.signal?.aborted) return fail(error);
  }
  if (!store && !io.signal?.aborted) {
    logger.warn({ dataDir: config.dataDir }, "No PUBLISH_URL: LSTs and log zips are kept under the data directory, nothing is published.");
  }

  // 5. The pipeline.
  const total = repos.length + skipped.length;
  const reporter: Reporter = tty && args.progress ? barReporter(total, io.stderr as NodeJS.WriteStream) : logReporter(logger);
  logger.info(
    { csv: config.csv, rows: range ? `${range.start}-${range.end}` : "all", partition: range?.partition, repos: repos.length, invalid: skipped.length, dataDir: config.dataDir, publish: store ?? "none" },
    "ingesting",
  );
  // Optional: the CLI's Prometheus endpoint for the duration of the run.
  const stopMonitor = new AbortController();
  const monitor = config.monitorPort
    ? cli.run(["monitor", "--port", String(config.monitorPort)], { signal: stopMonitor.signal }).then((r) => {
        if (!stopMonitor.signal.aborted) logger.warn({ exitCode: r.exitCode, output: r.outputTail.slice(-300) }, "mod monitor stopped early");
      })
    : undefined;
  let result;
  try {
    result = await runPipeline({
      repos,
      cli,
      dataDir: config.dataDir,
      index: logIndex(range),
      ...(args.runId ? { runId: args.runId } : {}),
      batchSize: config.batchSize,
      concurrency: config.concurrency,
      buildTimeoutMs: config.buildTimeoutMs,
      publish: store !== undefined,
      ...(store ? { store } : {}),
      ...(logStore ? { logStore } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      redactor,
      skipped,
      onEvent: (event) => reporter.onEvent(event),
    });
  } catch (error) {
    reporter.stop();
    return fail(error, EXIT.someFailed);
  } finally {
    stopMonitor.abort();
    await monitor;
    await (logStore as { close?: () => Promise<void> } | undefined)?.close?.();
    // The credential files live only as long as the run.
    await rm(path.join(config.dataDir, ".auth"), { recursive: true, force: true });
  }
  reporter.stop();
  write(`${redactor.redact(result.summary)}\n`);
  if (!tty) logger.info({ totals: result.report.totals, report: result.reportFile, durationMs: result.report.durationMs }, "done");
  if (io.signal?.aborted) return interruptedExit(io.signal);
  const t = result.report.totals;
  return t.ok === t.repos ? EXIT.ok : EXIT.someFailed;
}
