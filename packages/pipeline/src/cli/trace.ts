/**
 * The CLI's own account of each repository: `<ws>/.moderne/<command>/<id>/trace.csv`, one row per repository, read
 * by column name (columns are added between versions). A repository's outcome is its stage's `*Outcome`:
 * `Succeeded`, `Failed`, `Canceled` or `Skipped`.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { RepoOutcome } from "@mass-ingest/contract";

/** The commands that write a trace.csv. */
export type TraceStage = "sync" | "build" | "publish";

/** One trace.csv row, by column name. */
export type TraceRow = Record<string, string>;

/**
 * What the trace said of one repository (the latest stage's row wins field by field). Kept in the run report and
 * the result records.
 */
export interface RepoTrace {
  /** The `*Outcome` of each stage that has a row for the repository. */
  outcomes?: Partial<Record<TraceStage, string>>;
  /** The commit built (`buildChangeset`, else `syncChangeset`). */
  changeset?: string;
  /** `buildCliVersion`. */
  cliVersion?: string;
  /** `*ElapsedTimeMs` of each stage, and `buildDependencyResolutionTimeMs`. */
  elapsedMs?: Partial<Record<TraceStage | "dependencyResolution", number>>;
  /** Build tool versions the build used (`buildMavenVersion` -> maven, ...), non-empty only. */
  buildTools?: Record<string, string>;
  sourceFiles?: number;
  lines?: number;
  parseErrors?: number;
  buildId?: string;
  publishId?: string;
  /** Where the LST went (`publishUri`). */
  publishUri?: string;
  /** `syncLstDownloadUri`: a prebuilt LST was downloaded instead of building. */
  lstDownloadUri?: string;
  /** The CLI's `reproducible` verdict of the build (the workspace's repos-lock.csv); absent when it has none. */
  reproducible?: boolean;
}

/** The trace ids (sub-folders) `mod <stage>` has left in the workspace so far. */
export async function traceIds(ws: string, stage: TraceStage): Promise<Set<string>> {
  try {
    return new Set(await readdir(path.join(ws, ".moderne", stage)));
  } catch {
    return new Set();
  }
}

/** The trace.csv of the newest id not in `before` (newest by modification time, then name), or undefined. */
export async function newTraceFile(ws: string, stage: TraceStage, before: ReadonlySet<string>): Promise<string | undefined> {
  const candidates: { file: string; mtime: number; id: string }[] = [];
  for (const id of await traceIds(ws, stage)) {
    if (before.has(id)) continue;
    const file = path.join(ws, ".moderne", stage, id, "trace.csv");
    try {
      candidates.push({ file, mtime: (await stat(file)).mtimeMs, id });
    } catch {
      // an id without a trace (a run that stopped early)
    }
  }
  candidates.sort((a, b) => b.mtime - a.mtime || b.id.localeCompare(a.id));
  return candidates[0]?.file;
}

/** The rows of a trace.csv by column name (every value a string; a BOM and ragged rows tolerated). */
export async function readTrace(file: string): Promise<TraceRow[]> {
  return parse(await readFile(file, "utf8"), { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
}

/** A repository's outcome at `stage` from its row: Succeeded ok, Failed failed, Canceled / Skipped skipped (not run). */
export function stageOutcome(row: TraceRow, stage: TraceStage): RepoOutcome {
  const value = (row[`${stage}Outcome`] ?? "").trim().toLowerCase();
  if (value === "succeeded") return "ok";
  if (value === "canceled" || value === "cancelled" || value === "skipped") return "skipped";
  return "failed";
}

const strip = (s: string | undefined) =>
  (s ?? "")
    .trim()
    .replace(/\.git$/, "")
    .replace(/\/+$/, "");

/**
 * The trace row of a repository: same origin and path (and branch when both name one), else same path; a group
 * of one matches the only row.
 */
export function traceRowOf(
  rows: readonly TraceRow[],
  repo: { origin?: string; path?: string; branch?: string },
  groupSize: number,
): TraceRow | undefined {
  const samePath = rows.filter((r) => strip(r.path) !== "" && strip(r.path) === strip(repo.path));
  const sameOrigin = samePath.filter((r) => !r.origin || !repo.origin || strip(r.origin) === strip(repo.origin));
  const sameBranch = sameOrigin.filter((r) => !r.branch || !repo.branch || r.branch === repo.branch);
  return sameBranch[0] ?? sameOrigin[0] ?? samePath[0] ?? (groupSize === 1 && rows.length === 1 ? rows[0] : undefined);
}

const TOOLS = ["Maven", "Gradle", "Bazel", "Dotnet", "Python", "Node"] as const;

function num(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** What a trace row says of its repository, merged over what earlier stages said. */
export function mergeTrace(previous: RepoTrace | undefined, row: TraceRow, stage: TraceStage): RepoTrace {
  const t: RepoTrace = { ...previous, outcomes: { ...previous?.outcomes } };
  const text = (name: string) => (row[name]?.trim() ? row[name].trim() : undefined);
  const set = <K extends keyof RepoTrace>(key: K, value: RepoTrace[K] | undefined) => {
    if (value !== undefined) t[key] = value;
  };
  if (text(`${stage}Outcome`)) t.outcomes![stage] = text(`${stage}Outcome`)!;
  set("changeset", text("buildChangeset") ?? text("syncChangeset"));
  set("cliVersion", text("buildCliVersion"));
  const elapsed = { ...t.elapsedMs };
  for (const s of ["sync", "build", "publish"] as const) {
    const v = num(row[`${s}ElapsedTimeMs`]);
    if (v !== undefined) elapsed[s] = v;
  }
  const dep = num(row.buildDependencyResolutionTimeMs);
  if (dep !== undefined) elapsed.dependencyResolution = dep;
  if (Object.keys(elapsed).length) t.elapsedMs = elapsed;
  const tools = { ...t.buildTools };
  for (const tool of TOOLS) if (text(`build${tool}Version`)) tools[tool.toLowerCase()] = text(`build${tool}Version`)!;
  if (Object.keys(tools).length) t.buildTools = tools;
  set("sourceFiles", num(row.buildSourceFileCount));
  set("lines", num(row.buildLineCount));
  set("parseErrors", num(row.buildParseErrorCount));
  set("buildId", text("buildId"));
  set("publishId", text("publishId"));
  set("publishUri", text("publishUri"));
  set("lstDownloadUri", text("syncLstDownloadUri"));
  return t;
}

/**
 * The `reproducible` verdict of each repository the workspace's `.moderne/repos-lock.csv` lists (rows as the
 * trace's, matched the same way); an empty list when the CLI wrote no lock or it cannot be read.
 */
export async function readLockRows(ws: string): Promise<TraceRow[]> {
  try {
    return await readTrace(path.join(ws, ".moderne", "repos-lock.csv"));
  } catch {
    return [];
  }
}

/** "true"/"false" of a lock row's `reproducible` column (any case); undefined for anything else. */
export function reproducibleOf(row: TraceRow | undefined): boolean | undefined {
  const v = row?.reproducible?.trim().toLowerCase();
  return v === "true" ? true : v === "false" ? false : undefined;
}
