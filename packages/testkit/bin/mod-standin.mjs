// The Moderne CLI stand-in (test-only). Implements the commands of docs/moderne-cli.md with real git clones,
// real HTTP uploads and real zip files. State lives in $MOD_STANDIN_HOME:
//   config.json      behaviour (see StandInConfig in src/mod-standin.ts)
//   calls.jsonl      one line per invocation (argv, cwd, pid, NO_COLOR/TERM seen, start/end ms, exit code)
//   cli-config.json  what `mod config ...` stored
//   published.jsonl  one line per artifact `mod publish` uploaded (or recorded, for s3)
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { Buffer } from "node:buffer";
import { setInterval } from "node:timers";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";

const argv = process.argv.slice(2);
const home = process.env.MOD_STANDIN_HOME;
const started = Date.now();
const config = home ? readJson(path.join(home, "config.json"), {}) : {};
const color = !process.env.NO_COLOR && process.env.TERM !== "dumb";
const record = { argv, cwd: process.cwd(), pid: process.pid, ppid: process.ppid, env: seenEnv(), start: started };
let recorded = false;

class UsageError extends Error {}

// Loaded on first use: keeps `mod config ...` and friends fast to start.
const loadZip = async () => (await import("adm-zip")).default;
const loadCsv = async () => (await import("csv-parse/sync")).parse;

function readJson(file, fallback) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return fallback;
  }
}

function seenEnv() {
  const env = {};
  for (const name of ["NO_COLOR", "TERM", ...(config.recordEnv ?? [])]) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return env;
}

/** Append this invocation's line to calls.jsonl (once). */
function recordCall(extra) {
  if (recorded || !home) return;
  recorded = true;
  appendFileSync(path.join(home, "calls.jsonl"), JSON.stringify({ ...record, end: Date.now(), ...extra }) + "\n");
}

function finish(code) {
  recordCall({ exitCode: code });
  process.exit(code);
}

for (const [signal, code] of [
  ["SIGTERM", 143],
  ["SIGINT", 130],
  ["SIGHUP", 129],
]) {
  process.on(signal, () => {
    recordCall({ exitCode: code, signal });
    process.exit(code);
  });
}

const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const ok = (text) => paint("32", text);
const bad = (text) => paint("31", text);
const say = (line) => process.stdout.write(line + "\n");
const matches = (patterns, ...values) => (patterns ?? []).some((p) => values.some((v) => v && v.includes(p)));
/** UTC YYYYMMDDHHmmssSSS: sortable, one per run. */
const stamp = () => new Date().toISOString().replace(/[-:TZ.]/g, "");
/** Strip user:password from URLs before anything is printed or logged. */
const redact = (text) => String(text).replace(/(\w+:\/\/)[^/@\s]+@/g, "$1***@");

function options(args, spec, positionalCount) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (parsed.positionals.length !== positionalCount) {
    throw new UsageError(`expected ${positionalCount} argument(s), got ${parsed.positionals.length}`);
  }
  return parsed;
}

// ---------------------------------------------------------------- config

function saveCliConfig(update) {
  const file = path.join(home, "cli-config.json");
  writeFileSync(file, JSON.stringify({ ...readJson(file, {}), ...update }, null, 2));
}

const STORES = {
  maven: { user: { type: "string" }, password: { type: "string" } },
  artifactory: { "jfrog-api-token": { type: "string" } },
  s3: { endpoint: { type: "string" }, profile: { type: "string" }, region: { type: "string" } },
};

function configCommand(args) {
  if (args[0] === "moderne" && args[1] === "edit") {
    const { values, positionals } = options(args.slice(2), { token: { type: "string" } }, 1);
    if (!values.token) throw new UsageError("--token=<TOKEN> is required");
    saveCliConfig({ moderne: { tenant: positionals[0], token: values.token } });
    say(`Saved Moderne tenant ${positionals[0]}`);
    return 0;
  }
  if (args[0] === "java" && args[1] === "options" && args[2] === "edit") {
    if (args.length !== 4 || args[3].trim() === "") throw new UsageError('config java options edit "<OPTIONS>" takes one argument');
    saveCliConfig({ javaOptions: args[3] });
    say(`Saved JVM options ${args[3]}`);
    return 0;
  }
  if (args[0] === "http" && args[1] === "trust-store" && args[2] === "edit") {
    if (args.length !== 4) throw new UsageError("config http trust-store edit <java-home|PATH> takes one argument");
    saveCliConfig({ trustStore: args[3] });
    say(`Saved trust store ${args[3]}`);
    return 0;
  }
  const type = args[2];
  if (args[0] !== "lsts" || args[1] !== "artifacts" || args[3] !== "edit" || !Object.hasOwn(STORES, type)) {
    throw new UsageError(`unknown config command: config ${args.slice(0, 4).join(" ")}`);
  }
  const { values, positionals } = options(args.slice(4), STORES[type], 1);
  const url = positionals[0];
  let artifacts;
  if (type === "maven") {
    if (!values.user || !values.password) throw new UsageError("--user and --password are required");
    artifacts = { type, url, user: values.user, password: values.password };
  } else if (type === "artifactory") {
    if (!values["jfrog-api-token"]) throw new UsageError("--jfrog-api-token is required");
    artifacts = { type, url, token: values["jfrog-api-token"] };
  } else {
    if (!url.startsWith("s3://")) throw new UsageError(`not an s3:// URL: ${url}`);
    artifacts = { type, url, ...values };
  }
  if (type !== "s3" && !/^https?:\/\//.test(url)) throw new UsageError(`not an http(s) URL: ${redact(url)}`);
  saveCliConfig({ artifacts });
  say(`Saved ${type} artifact repository ${redact(url)}`);
  return 0;
}

// ---------------------------------------------------------------- git sync csv

const column = (row, name) => {
  const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key ? String(row[key]).trim() : "";
  return value === "" ? undefined : value;
};

/** DIR-relative folder of a row: the path column, else org/repo from the clone URL. */
function repoPath(row) {
  const explicit = column(row, "path");
  if (explicit) return explicit.replace(/^\/+|\/+$/g, "");
  const url = column(row, "cloneUrl") ?? "";
  const parts = url
    .replace(/\.git\/?$/, "")
    .split(/[/:]/)
    .filter(Boolean);
  return parts.slice(-2).join("/");
}

function run(cmd, args, cwd) {
  return new Promise((resolve) => {
    const env = { ...process.env };
    if (env.GIT_TERMINAL_PROMPT === undefined) env.GIT_TERMINAL_PROMPT = "0";
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
    child.on("error", (error) => resolve({ code: 127, stderr: error.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, stderr }));
  });
}

async function syncRepo(dir, row) {
  const url = column(row, "cloneUrl");
  const rel = repoPath(row);
  if (!url || !rel) return { rel: rel || "?", error: "row has no cloneUrl" };
  const target = path.resolve(dir, rel);
  if (!target.startsWith(path.resolve(dir) + path.sep)) return { rel, error: `path escapes ${dir}` };
  if (config.syncMs) await sleep(config.syncMs);
  if (matches(config.failSync, url, rel)) return { rel, error: "failSync configured for this repository" };
  const branch = column(row, "branch");
  const changeset = column(row, "changeset");
  const steps = [];
  if (existsSync(path.join(target, ".git"))) {
    steps.push(["git", ["fetch", "-q", "origin"], target]);
    steps.push(["git", ["checkout", "-q", "-f", "--detach", changeset ?? (branch ? `origin/${branch}` : "origin/HEAD")], target]);
  } else {
    mkdirSync(path.dirname(target), { recursive: true });
    steps.push(["git", ["clone", "-q", ...(branch && !changeset ? ["--branch", branch] : []), "--", url, target], dir]);
    if (changeset) steps.push(["git", ["checkout", "-q", "--detach", changeset], target]);
  }
  for (const [cmd, args, cwd] of steps) {
    const result = await run(cmd, args, cwd);
    if (result.code !== 0) return { rel, error: `git ${args[0]} exited ${result.code}: ${redact(result.stderr.trim())}` };
  }
  const settings = { cloneUrl: redact(url), branch, changeset };
  for (const name of ["java", "jvmopts", "mavenArgs", "gradleArgs"]) settings[name] = column(row, name);
  mkdirSync(path.join(target, ".moderne"), { recursive: true });
  writeFileSync(path.join(target, ".moderne", "settings.json"), JSON.stringify(settings, null, 2));
  return { rel };
}

async function gitSyncCsv(args) {
  const { positionals } = options(args, { "with-sources": { type: "boolean" } }, 2);
  const [dir, csvFile] = positionals;
  const parseCsv = await loadCsv();
  let rows;
  try {
    rows = parseCsv(readFileSync(csvFile), { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    say(bad(`Cannot read ${csvFile}: ${error.message}`));
    return 1;
  }
  mkdirSync(dir, { recursive: true });
  const logDir = path.join(dir, ".moderne", "sync", stamp());
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, "sync.log");
  writeFileSync(logFile, `sync of ${rows.length} repositories from ${csvFile}\n`);
  let failed = 0;
  for (const row of rows) {
    const result = await syncRepo(dir, row);
    const line = result.error ? `FAILED ${result.rel}: ${result.error}` : `OK ${result.rel}`;
    appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
    say(result.error ? bad(line) : ok(line));
    if (result.error) failed++;
  }
  say(`Synced ${rows.length - failed} of ${rows.length} repositories`);
  return failed ? 1 : 0;
}

// ---------------------------------------------------------------- build

/** DIR-relative folders holding a git checkout (not descending into them, skipping .moderne). */
function findRepos(dir, rel = "", depth = 0) {
  const here = path.join(dir, rel);
  if (existsSync(path.join(here, ".git"))) return rel ? [rel] : [];
  if (depth > 4 || !existsSync(here)) return [];
  return readdirSync(here, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== ".moderne")
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => findRepos(dir, path.posix.join(rel, e.name), depth + 1));
}

const latest = (dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => statSync(path.join(dir, n)).isDirectory())
        .sort()
        .pop()
    : undefined;

function buildMsFor(rel) {
  for (const [pattern, ms] of Object.entries(config.buildMsByRepo ?? {})) if (rel.includes(pattern)) return ms;
  return config.buildMs ?? 20;
}

async function build(args) {
  const { positionals } = options(args, { "no-download": { type: "boolean" } }, 1);
  const dir = positionals[0];
  const repos = findRepos(dir);
  const ts = stamp();
  const batchDir = path.join(dir, ".moderne", "build", ts);
  mkdirSync(batchDir, { recursive: true });
  const batchLog = path.join(batchDir, "build.log");
  writeFileSync(batchLog, `build of ${repos.length} repositories\n`);
  const AdmZip = await loadZip();
  let failed = 0;
  for (const [index, rel] of repos.entries()) {
    const name = path.basename(rel);
    const outDir = path.join(dir, rel, ".moderne", "build", ts);
    mkdirSync(outDir, { recursive: true });
    const log = path.join(outDir, "build.log");
    const settings = readJson(path.join(dir, rel, ".moderne", "settings.json"), {});
    say(`[${index + 1}/${repos.length}] Building ${rel} (java ${settings.java ?? "default"})`);
    writeFileSync(log, `building ${rel} with settings ${JSON.stringify(settings)}\n`);
    if (matches(config.hangBuild, rel)) {
      appendFileSync(log, "hanging (hangBuild configured)\n");
      const grandchild = spawn("sleep", ["100000"], { stdio: "ignore" });
      say(`Building ${rel} hangs (grandchild pid ${grandchild.pid})`);
      recordCall({ exitCode: null, end: null, hung: true, grandchildPid: grandchild.pid });
      setInterval(() => {}, 60_000);
      return new Promise(() => {});
    }
    await sleep(buildMsFor(rel));
    if (matches(config.failBuild, rel)) {
      appendFileSync(log, "BUILD FAILED (failBuild configured)\n");
      appendFileSync(batchLog, `FAILED ${rel}\n`);
      say(bad(`Build of ${rel} FAILED`));
      failed++;
      continue;
    }
    const jar = new AdmZip();
    jar.addFile("META-INF/MANIFEST.MF", Buffer.from("Manifest-Version: 1.0\nCreated-By: mod stand-in\n"));
    jar.addFile("lst.json", Buffer.from(JSON.stringify({ repo: rel, settings, built: ts })));
    jar.writeZip(path.join(outDir, `${name}-ast.jar`));
    appendFileSync(log, "BUILD SUCCEEDED\n");
    appendFileSync(batchLog, `OK ${rel}\n`);
    say(ok(`Built ${rel}`));
  }
  say(`Built ${repos.length - failed} of ${repos.length} repositories`);
  return failed ? 1 : 0;
}

// ---------------------------------------------------------------- publish

async function publish(args) {
  const { positionals } = options(args, {}, 1);
  const dir = positionals[0];
  const store = readJson(path.join(home, "cli-config.json"), {}).artifacts;
  if (!store) {
    say(bad("No artifact repository configured: run `mod config lsts artifacts ... edit` first"));
    return 1;
  }
  let failed = 0;
  let published = 0;
  for (const rel of findRepos(dir)) {
    const buildRoot = path.join(dir, rel, ".moderne", "build");
    const ts = latest(buildRoot);
    const name = path.basename(rel);
    const jar = ts && path.join(buildRoot, ts, `${name}-ast.jar`);
    if (!jar || !existsSync(jar)) {
      say(`Nothing to publish for ${rel}`);
      continue;
    }
    if (matches(config.failPublish, rel)) {
      say(bad(`Publish of ${rel} FAILED (failPublish configured)`));
      failed++;
      continue;
    }
    const group = path.posix.dirname(rel) === "." ? "default" : path.posix.dirname(rel);
    const remote = `${group}/${name}/${ts}/${name}-${ts}-ast.jar`;
    const target = `${store.url.replace(/\/+$/, "")}/${remote}`;
    let status = 0;
    if (store.type !== "s3") {
      const headers = { "content-type": "application/java-archive" };
      if (store.type === "maven") headers.authorization = "Basic " + Buffer.from(`${store.user}:${store.password}`).toString("base64");
      if (store.type === "artifactory") headers["X-JFrog-Art-Api"] = store.token;
      try {
        status = (await globalThis.fetch(target, { method: "PUT", headers, body: readFileSync(jar) })).status;
      } catch (error) {
        say(bad(`Publish of ${rel} to ${redact(target)} failed: ${error.cause?.code ?? error.message}`));
        failed++;
        continue;
      }
      if (status < 200 || status > 299) {
        say(bad(`Publish of ${rel} to ${redact(target)} failed: HTTP ${status}`));
        failed++;
        continue;
      }
    }
    appendFileSync(
      path.join(home, "published.jsonl"),
      JSON.stringify({ store: store.type, repo: rel, url: redact(target), status }) + "\n",
    );
    say(ok(`Published ${rel} to ${redact(target)}`));
    published++;
  }
  say(`Published ${published} LST(s), ${failed} failed`);
  return failed ? 1 : 0;
}

// ---------------------------------------------------------------- log ... add

async function logAdd(kind, args) {
  const flag = kind === "syncs" ? "last-sync" : "last-build";
  const { positionals } = options(args, { [flag]: { type: "boolean" } }, 2);
  const [dir, zipFile] = positionals;
  const sub = kind === "syncs" ? "sync" : "build";
  const ts = latest(path.join(dir, ".moderne", sub));
  if (!ts) {
    say(bad(`No ${sub} logs in ${dir}`));
    return 1;
  }
  const entries = [[`${sub}/${ts}/${sub}.log`, path.join(dir, ".moderne", sub, ts, `${sub}.log`)]];
  if (sub === "build") {
    for (const rel of findRepos(dir)) {
      const log = path.join(dir, rel, ".moderne", "build", ts, "build.log");
      if (existsSync(log)) entries.push([`${rel}/build/${ts}/build.log`, log]);
    }
  }
  mkdirSync(path.dirname(path.resolve(zipFile)), { recursive: true });
  const AdmZip = await loadZip();
  const zip = existsSync(zipFile) ? new AdmZip(zipFile) : new AdmZip();
  for (const [entry, file] of entries) zip.addFile(entry, readFileSync(file));
  zip.writeZip(zipFile);
  say(`Added ${entries.length} ${sub} log(s) to ${zipFile}`);
  return 0;
}

// ---------------------------------------------------------------- monitor

function monitor(args) {
  const { values } = options(args, { port: { type: "string" } }, 0);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0) throw new UsageError("--port <N> is required");
  const server = http.createServer((_req, res) => {
    const calls = existsSync(path.join(home, "calls.jsonl"))
      ? readFileSync(path.join(home, "calls.jsonl"), "utf8").split("\n").filter(Boolean).length
      : 0;
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(
      `# HELP mod_up The stand-in is running.\n# TYPE mod_up gauge\nmod_up 1\n# HELP mod_calls_total Finished mod invocations.\n# TYPE mod_calls_total counter\nmod_calls_total ${calls}\n`,
    );
  });
  server.on("error", (error) => {
    say(bad(`monitor cannot listen on ${port}: ${error.message}`));
    finish(1);
  });
  server.listen(port, "127.0.0.1", () => say(`Monitoring on http://127.0.0.1:${port}/metrics`));
  return new Promise(() => {});
}

// ---------------------------------------------------------------- main

const USAGE = `usage: mod <command>
  config moderne edit --token=<TOKEN> <TENANT>
  config lsts artifacts maven edit <URL> --user <USER> --password <PASSWORD>
  config lsts artifacts artifactory edit <URL> --jfrog-api-token <TOKEN>
  config lsts artifacts s3 edit <s3://BUCKET/PREFIX> [--endpoint <URL>] [--profile <P>] [--region <R>]
  config java options edit "<OPTIONS>"
  config http trust-store edit <java-home|PATH>
  --version
  git sync csv <DIR> <CSV> --with-sources
  build <DIR> --no-download
  publish <DIR>
  log syncs add <DIR> <ZIP> --last-sync
  log builds add <DIR> <ZIP> --last-build
  monitor --port <N>`;

const COMMANDS = [
  ["config", (a) => configCommand(a), "config"],
  ["git sync csv", (a) => gitSyncCsv(a), "sync"],
  ["build", (a) => build(a), "build"],
  ["publish", (a) => publish(a), "publish"],
  ["log syncs add", (a) => logAdd("syncs", a), "log"],
  ["log builds add", (a) => logAdd("builds", a), "log"],
  ["monitor", (a) => monitor(a), "monitor"],
];

async function main() {
  if (!home) {
    process.stderr.write("mod stand-in: MOD_STANDIN_HOME is not set (use createModStandIn() from @mass-ingest/testkit)\n");
    return 2;
  }
  mkdirSync(home, { recursive: true });
  if (argv.length === 1 && argv[0] === "--version") {
    process.stdout.write(`${config.version ?? "Moderne CLI 3.0.0-standin"}\n`);
    return 0;
  }
  const found = COMMANDS.find(([words]) => words.split(" ").every((w, i) => argv[i] === w));
  if (!found) {
    process.stderr.write(`mod: unknown command: ${redact(argv.slice(0, 3).join(" "))}\n${USAGE}\n`);
    return 2;
  }
  const [words, handler, kind] = found;
  try {
    const code = await handler(argv.slice(words.split(" ").length));
    return config.exitCodes?.[kind] ?? code;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`mod ${words}: ${error.message}\n${USAGE}\n`);
    return 2;
  }
}

main().then(finish, (error) => {
  process.stderr.write(`mod stand-in crashed: ${redact(error?.stack ?? error)}\n`);
  finish(70);
});
