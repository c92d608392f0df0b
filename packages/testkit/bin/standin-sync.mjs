// `mod git sync csv <path> <csv>`: real git clones, a sync trace.csv and the workspace's repos-lock.csv.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { bad, commandDir, config, matches, ok, onSignal, redact, say } from "./standin-context.mjs";
import { OUTCOME, createTrace, readLock, writeLock } from "./standin-trace.mjs";

export const column = (row, name) => {
  const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key ? String(row[key]).trim() : "";
  return value === "" ? undefined : value;
};

/** Workspace-relative folder of a row: the path column, else org/repo from the clone URL. */
export function repoPath(row) {
  const explicit = column(row, "path");
  if (explicit) return explicit.replace(/^\/+|\/+$/g, "");
  const url = column(row, "cloneUrl") ?? "";
  const parts = url
    .replace(/\.git\/?$/, "")
    .split(/[/:]/)
    .filter(Boolean);
  return parts.slice(-2).join("/");
}

/** The origin column, else the clone URL's host (scp-style `git@host:org/repo` too). */
function repoOrigin(row) {
  const explicit = column(row, "origin");
  if (explicit) return explicit;
  const url = column(row, "cloneUrl") ?? "";
  return /^[\w+.-]+:\/\/(?:[^@/]*@)?([^/:]+)/.exec(url)?.[1] ?? /^(?:[^@]+@)?([^:/]+):/.exec(url)?.[1] ?? "";
}

/** Run a command; resolves { code, stdout, stderr } (never rejects). */
export function run(cmd, args, cwd) {
  return new Promise((resolve) => {
    const env = { ...process.env };
    if (env.GIT_TERMINAL_PROMPT === undefined) env.GIT_TERMINAL_PROMPT = "0";
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout = (stdout + d).slice(-2000)));
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
    child.on("error", (error) => resolve({ code: 127, stdout, stderr: error.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function gitSteps(dir, target, url, branch, changeset) {
  if (existsSync(path.join(target, ".git"))) {
    return [
      ["git", ["fetch", "-q", "origin"], target],
      ["git", ["checkout", "-q", "-f", "--detach", changeset ?? (branch ? `origin/${branch}` : "origin/HEAD")], target],
    ];
  }
  mkdirSync(path.dirname(target), { recursive: true });
  const steps = [["git", ["clone", "-q", ...(branch && !changeset ? ["--branch", branch] : []), "--", url, target], dir]];
  if (changeset) steps.push(["git", ["checkout", "-q", "--detach", changeset], target]);
  return steps;
}

async function syncRepo(dir, row, rel, withSources) {
  const url = column(row, "cloneUrl");
  if (!url || !rel) return { error: "row has no cloneUrl" };
  if (!withSources) return { skipped: "sources not requested (--with-sources)" };
  const target = path.resolve(dir, rel);
  if (!target.startsWith(path.resolve(dir) + path.sep)) return { error: `path escapes ${dir}` };
  if (config.syncMs) await sleep(config.syncMs);
  if (matches(config.failSync, url, rel)) return { error: "failSync configured for this repository" };
  const branch = column(row, "branch");
  const changeset = column(row, "changeset");
  for (const [cmd, args, cwd] of gitSteps(dir, target, url, branch, changeset)) {
    const result = await run(cmd, args, cwd);
    if (result.code !== 0) return { error: `git ${args[0]} exited ${result.code}: ${redact(result.stderr.trim())}` };
  }
  const head = (await run("git", ["rev-parse", "HEAD"], target)).stdout.trim();
  const remoteHead = (await run("git", ["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"], target)).stdout.trim();
  const settings = { cloneUrl: redact(url), branch, changeset, origin: repoOrigin(row), path: rel };
  for (const name of ["java", "jvmopts", "mavenArgs", "gradleArgs"]) settings[name] = column(row, name);
  mkdirSync(path.join(target, ".moderne"), { recursive: true });
  writeFileSync(path.join(target, ".moderne", "settings.json"), JSON.stringify(settings, null, 2));
  return { head, branch: branch ?? (changeset ? "" : remoteHead.replace(/^origin\//, "")) };
}

/** The lock as sync creates it: the csv's columns (+ origin/path when derived); fields added later are kept per path. */
function syncLock(dir, columns, rows) {
  const previous = readLock(dir);
  const lockColumns = [...columns, ...["origin", "path"].filter((c) => !columns.includes(c))];
  const lockRows = rows.map(({ row, rel }) => {
    const old = previous.rows.find((r) => r.path === rel) ?? {};
    return { ...old, ...row, origin: repoOrigin(row), path: rel };
  });
  writeLock(dir, { columns: [...new Set([...lockColumns, ...previous.columns])], rows: lockRows });
}

export async function gitSyncCsv({ values, positionals }) {
  const [dir, csvFile] = positionals;
  const { parse } = await import("csv-parse/sync");
  let rows;
  let columns;
  try {
    rows = parse(readFileSync(csvFile), {
      columns: (h) => (columns = h.map((c) => c.trim())),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    say(bad(`Cannot read ${csvFile}: ${error.message}`));
    return 1;
  }
  if (values.limit !== undefined) rows = rows.slice(0, Number(values.limit));
  if (values.organization) rows = rows.filter((r) => column(r, "org1") === values.organization);
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  const { dir: logDir } = commandDir(dir, "sync");
  const logFile = path.join(logDir, "sync.log");
  writeFileSync(logFile, `sync of ${rows.length} repositories from ${csvFile}\n`);
  const trace = createTrace(logDir, "sync", values["trace-tag"] ?? []);
  const entries = rows.map((row) => ({ row, rel: repoPath(row) }));
  syncLock(dir, columns ?? [], entries);
  const base = ({ row, rel }) => ({
    origin: repoOrigin(row),
    path: rel,
    branch: column(row, "branch") ?? "",
    organization: column(row, "org1") ?? "",
    syncCloneUri: redact(column(row, "cloneUrl") ?? ""),
    syncLog: logFile,
  });
  let done = 0;
  onSignal.push(() => {
    for (const entry of entries.slice(done)) trace.add({ ...base(entry), syncOutcome: OUTCOME.canceled });
  });
  let failed = 0;
  for (const entry of entries) {
    const start = new Date();
    const result = await syncRepo(dir, entry.row, entry.rel, values["with-sources"] === true);
    const end = new Date();
    done++;
    trace.add({
      ...base(entry),
      branch: result.branch ?? column(entry.row, "branch") ?? "",
      syncOutcome: result.error ? OUTCOME.failed : result.skipped ? OUTCOME.skipped : OUTCOME.ok,
      syncStartTime: start.toISOString(),
      syncEndTime: end.toISOString(),
      syncChangeset: result.head ?? "",
      syncElapsedTimeMs: end - start,
    });
    const line = result.error
      ? `FAILED ${entry.rel || "?"}: ${result.error}`
      : result.skipped
        ? `SKIPPED ${entry.rel}: ${result.skipped}`
        : `OK ${entry.rel}`;
    appendFileSync(logFile, `${end.toISOString()} ${line}\n`);
    say(result.error ? bad(line) : ok(line));
    if (result.error) failed++;
  }
  say(`Synced ${rows.length - failed} of ${rows.length} repositories`);
  say(summaryLine(rows.length, failed, started));
  return failed ? 1 : 0;
}

/** The CLI's closing console line. */
export function summaryLine(total, failed, started) {
  const seconds = `${((Date.now() - started) / 1000).toFixed(1)}s`;
  if (!failed) return ok(`MOD SUCCEEDED in ${seconds}`);
  return failed === total ? bad(`MOD FAILED in ${seconds}`) : bad(`MOD PARTIALLY SUCCEEDED in ${seconds}`);
}
