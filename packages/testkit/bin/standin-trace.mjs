// trace.csv (one per command: <ws>/.moderne/{sync,build,publish}/<id>/trace.csv) and <ws>/.moderne/repos-lock.csv.
import { existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { config } from "./standin-context.mjs";

export const OUTCOME = { ok: "Succeeded", failed: "Failed", canceled: "Canceled", skipped: "Skipped" };

const SYNC = ["origin", "path", "branch", "developer"].concat(
  ["Outcome", "CloneUri", "LstDownloadUri", "StartTime", "EndTime", "Changeset", "ElapsedTimeMs"].map((c) => `sync${c}`),
);
const BUILD = [
  "Outcome",
  "StartTime",
  "EndTime",
  "Id",
  "DependencyResolutionTimeMs",
  "Changeset",
  "MavenVersion",
  "GradleVersion",
  "BazelVersion",
  "DotnetVersion",
  "PythonVersion",
  "NodeVersion",
  "OsName",
  "OsVersion",
  "OsEol",
  "GitAutocrlf",
  "GitEol",
  "SourceFileCount",
  "LineCount",
  "ParseErrorCount",
  "Weight",
  "MaxWeight",
  "MaxWeightSourceFile",
  "CliVersion",
  "ElapsedTimeMs",
].map((c) => `build${c}`);
const PUBLISH = ["Outcome", "StartTime", "EndTime", "Id", "Uri", "ElapsedTimeMs"].map((c) => `publish${c}`);

/** Columns of a command's trace.csv in the CLI's export order (then the local *Log columns). */
export function traceColumns(stage, tags = []) {
  const stages = { sync: [SYNC], build: [SYNC, BUILD], publish: [SYNC, BUILD, PUBLISH] }[stage];
  const columns = [...stages.flat(), "organization", ...tags.map((t) => `tag.${t}`)];
  const logs = stages.map((_, i) => ["syncLog", "buildLog", "publishLog"][i]);
  return [...columns, ...logs];
}

const quote = (value) => {
  const text = value === undefined || value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Write rows (objects by column name) as CSV; missing fields are empty. Atomic (tmp + rename). */
export function writeCsv(file, columns, rows) {
  const lines = [columns.map(quote).join(","), ...rows.map((row) => columns.map((c) => quote(row[c])).join(","))];
  writeFileSync(`${file}.tmp`, lines.join("\n") + "\n");
  renameSync(`${file}.tmp`, file);
}

/** Minimal RFC 4180 reader: [{ column: value }] (the stand-in reads only files it wrote or a repos.csv). */
export function readCsv(text) {
  const records = [];
  let field = "";
  let record = [];
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted && ch === '"' && body[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted) field += ch;
    else if (ch === ",") endField();
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      endRecord();
    } else field += ch;
  }
  if (field !== "" || record.length) endRecord();
  const rows = records.filter((r) => r.some((v) => v.trim() !== ""));
  const header = (rows.shift() ?? []).map((h) => h.trim());
  return { columns: header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, (r[i] ?? "").trim()]))) };
}

/** The trace of one command, rewritten after every repository (so an interrupted command leaves the finished rows). */
export function createTrace(dir, stage, tags) {
  const tagNames = [...new Set(tags.map((t) => t.split("=")[0]))];
  const tagValues = Object.fromEntries(tags.map((t) => [`tag.${t.split("=")[0]}`, t.slice(t.indexOf("=") + 1)]));
  const extra = config.traceExtraColumns ?? {};
  let columns = [...traceColumns(stage, tagNames), ...Object.keys(extra)];
  if (config.traceColumnsReversed) columns = [...columns].reverse();
  const rows = [];
  const file = path.join(dir, "trace.csv");
  const flush = () => {
    if (!config.noTrace) writeCsv(file, columns, rows);
  };
  flush(); // the header at once: an interrupted command leaves a trace
  return {
    file,
    rows,
    add(row) {
      rows.push({ ...row, ...tagValues, ...extra });
      flush();
      return rows.at(-1);
    },
    flush,
  };
}

/** Rows of `<ws>/.moderne/<stage>/<id>/trace.csv` by path (latest id when omitted); {} when none. */
export function readTrace(ws, stage, id = latestId(path.join(ws, ".moderne", stage))) {
  const file = id && path.join(ws, ".moderne", stage, id, "trace.csv");
  if (!file || !existsSync(file)) return {};
  return Object.fromEntries(readCsv(readFileSync(file, "utf8")).rows.map((r) => [r.path, r]));
}

/** The newest command id (folder name) under `dir`. */
export function latestId(dir) {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir)
    .filter((n) => statSync(path.join(dir, n)).isDirectory())
    .sort()
    .pop();
}

// ---------------------------------------------------------------- repos-lock.csv

const lockFile = (ws) => path.join(ws, ".moderne", "repos-lock.csv");

/** { columns, rows } of the workspace lock ({ [], [] } when absent). */
export function readLock(ws) {
  const file = lockFile(ws);
  return existsSync(file) ? readCsv(readFileSync(file, "utf8")) : { columns: [], rows: [] };
}

/** Write the lock with `columns` (plus any of `added` not there yet, in that order). Skipped with config.noLock. */
export function writeLock(ws, lock, added = []) {
  if (config.noLock) return;
  const columns = [...lock.columns, ...added.filter((c) => !lock.columns.includes(c))];
  writeCsv(lockFile(ws), columns, lock.rows);
}

/** Merge fields into the lock row of `repoPath` (creating the row when the workspace was not synced). */
export function updateLock(ws, updates, added) {
  const lock = readLock(ws);
  if (!lock.columns.includes("path")) lock.columns.push("path");
  for (const [repoPath, fields] of Object.entries(updates)) {
    let row = lock.rows.find((r) => r.path === repoPath);
    if (!row) lock.rows.push((row = { path: repoPath }));
    Object.assign(row, fields);
  }
  writeLock(ws, lock, added);
}
