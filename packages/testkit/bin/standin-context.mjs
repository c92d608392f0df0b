// Shared state of one stand-in invocation: its home, config.json, the modelled CLI version, output helpers and
// the calls.jsonl record. See src/mod-standin.ts (StandInConfig) for the knobs.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DEFAULT_VERSION = "4.9.2";

export const argv = process.argv.slice(2);
export const home = process.env.MOD_STANDIN_HOME;
export const config = home ? readJson(path.join(home, "config.json"), {}) : {};

const versionText = String(config.version ?? DEFAULT_VERSION);
/** The modelled CLI version (x.y.z): decides which commands and options exist. */
export const cliVersion = /\d+\.\d+\.\d+/.exec(versionText)?.[0] ?? DEFAULT_VERSION;
/** `mod --version`: "Moderne CLI <version>", or config.version verbatim when it does not start with a digit. */
export const versionBanner = /^\d/.test(versionText) ? `Moderne CLI ${versionText}` : versionText;

/** -1, 0, 1 comparing dotted numeric versions. */
export function compareVersions(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** True when something with `since` / `until` (removed in) exists in the modelled version. */
export const available = (entry) =>
  (!entry.since || compareVersions(cliVersion, entry.since) >= 0) && (!entry.until || compareVersions(cliVersion, entry.until) < 0);

export function readJson(file, fallback) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return fallback;
  }
}

const color = !process.env.NO_COLOR && process.env.TERM !== "dumb";
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
export const ok = (text) => paint("32", text);
export const bad = (text) => paint("31", text);
export const say = (line) => process.stdout.write(line + "\n");
export const warn = (line) => process.stderr.write(line + "\n");
/** True when a pattern is a substring of one of the values. */
export const matches = (patterns, ...values) => (patterns ?? []).some((p) => values.some((v) => v && v.includes(p)));
/** First value of `map` (pattern -> value) whose pattern `value` contains. */
export const byPattern = (map, value, fallback) => {
  for (const [pattern, v] of Object.entries(map ?? {})) if (value.includes(pattern)) return v;
  return fallback;
};
/** Strip user:password from URLs before anything is printed or logged. */
export const redact = (text) => String(text).replace(/(\w+:\/\/)[^/@\s]+@/g, "$1***@");

let lastStamp = "";
/** UTC YYYYMMDDHHmmssSSS: sortable, unique within this process. Used as command and build ids. */
export function stamp() {
  let s = new Date().toISOString().replace(/[-:TZ.]/g, "");
  while (s <= lastStamp) s = String(BigInt(s) + 1n);
  lastStamp = s;
  return s;
}

/** A fresh `<ws>/.moderne/<kind>/<id>` folder (id unique even across processes started in the same ms). */
export function commandDir(ws, kind) {
  for (;;) {
    const id = stamp();
    const dir = path.join(ws, ".moderne", kind, id);
    if (existsSync(dir)) continue;
    mkdirSync(dir, { recursive: true });
    return { id, dir };
  }
}

/** A usage error: picocli-style message, the command's usage, exit 2. */
export class UsageError extends Error {
  constructor(message, command) {
    super(message);
    this.command = command;
  }
}

function seenEnv() {
  const env = {};
  for (const name of ["NO_COLOR", "TERM", ...(config.recordEnv ?? [])]) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return env;
}

const record = { argv, cwd: process.cwd(), pid: process.pid, ppid: process.ppid, env: seenEnv(), start: Date.now() };
let recorded = false;
/** Fields added to this invocation's calls.jsonl line (command, deprecated, usageError, ...). */
export const callInfo = {};

/** Append this invocation's line to calls.jsonl (once). */
export function recordCall(extra) {
  if (recorded || !home) return;
  recorded = true;
  appendFileSync(path.join(home, "calls.jsonl"), JSON.stringify({ ...record, end: Date.now(), ...callInfo, ...extra }) + "\n");
}

/** Hooks run before the process exits on a signal (e.g. write Canceled trace rows). */
export const onSignal = [];

export function finish(code) {
  recordCall({ exitCode: code });
  process.exit(code);
}

for (const [signal, code] of [
  ["SIGTERM", 143],
  ["SIGINT", 130],
  ["SIGHUP", 129],
]) {
  process.on(signal, () => {
    for (const hook of onSignal) {
      try {
        hook(signal);
      } catch {
        // best effort while stopping
      }
    }
    recordCall({ exitCode: code, signal });
    process.exit(code);
  });
}

// ---------------------------------------------------------------- CLI configuration (what `mod config` stored)

export const cliConfigFile = () => path.join(home, "cli-config.json");
export const loadCliConfig = () => readJson(cliConfigFile(), {});
export function saveCliConfig(update) {
  writeFileSync(cliConfigFile(), JSON.stringify({ ...loadCliConfig(), ...update }, null, 2));
}
