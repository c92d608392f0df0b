// The Moderne CLI stand-in (test-only), modelled on the CLI 4.x reference: one declarative table per command
// (standin-commands.mjs, standin-config.mjs), picocli-like parsing (standin-options.mjs), real git clones, real
// HTTP uploads, real zip files, trace.csv per command and a repos-lock.csv. State lives in $MOD_STANDIN_HOME:
//   config.json      behaviour (see StandInConfig in src/mod-standin.ts)
//   calls.jsonl      one line per invocation (argv, cwd, pid, NO_COLOR/TERM seen, start/end ms, exit code, ...)
//   cli-config.json  what `mod config ...` stored
//   published.jsonl  one line per artifact `mod publish` uploaded (or recorded, for s3)
import { mkdirSync } from "node:fs";
import { COMMANDS, GROUPS } from "./standin-commands.mjs";
import { UsageError, argv, available, callInfo, config, finish, home, redact, versionBanner } from "./standin-context.mjs";
import { groupUsage, parseOptions, usageOf } from "./standin-options.mjs";

const commands = COMMANDS.filter(available);
const wordsOf = (text) => (text ? text.split(" ") : []);
const startsWith = (args, words) => words.every((w, i) => args[i] === w);

/** [name, summary] of the commands and groups right below `prefix`. */
function children(prefix) {
  const words = wordsOf(prefix);
  const found = new Map();
  for (const command of commands) {
    const w = wordsOf(command.path);
    if (w.length <= words.length || !startsWith(w, words)) continue;
    const sub = w.slice(0, words.length + 1).join(" ");
    const summary = command.path === sub ? `${command.deprecated ? "DEPRECATED: " : ""}${command.summary}` : (GROUPS[sub] ?? "");
    if (!found.has(w[words.length])) found.set(w[words.length], summary);
  }
  return [...found.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function usageFailure(message, usage) {
  callInfo.usageError = message;
  process.stderr.write(`${message}\n${usage}`);
  return 2;
}

/** argv names no leaf command: a group's help, `--version`, or picocli's complaint about the subcommand. */
function groupCommand(args) {
  let depth = 0;
  while (depth < args.length && children(args.slice(0, depth + 1).join(" ")).length > 0) depth++;
  const group = args.slice(0, depth).join(" ");
  const usage = groupUsage(group, children(group));
  const next = args[depth];
  if (next === "-h" || next === "--help") {
    process.stdout.write(usage);
    return 0;
  }
  if (depth === 0 && (next === "--version" || next === "-V")) {
    process.stdout.write(`${versionBanner}\n`);
    return 0;
  }
  if (next === undefined) return usageFailure("Missing required subcommand", usage);
  if (next.startsWith("-")) return usageFailure(`Unknown option: '${redact(next)}'`, usage);
  return usageFailure(`Unmatched argument at index ${depth}: '${redact(next)}'`, usage);
}

async function main() {
  if (!home) {
    process.stderr.write("mod stand-in: MOD_STANDIN_HOME is not set (use createModStandIn() from @mass-ingest/testkit)\n");
    return 2;
  }
  mkdirSync(home, { recursive: true });
  const command = commands.filter((c) => startsWith(argv, wordsOf(c.path))).sort((a, b) => b.path.length - a.path.length)[0];
  if (!command) return groupCommand(argv);
  const words = wordsOf(command.path).length;
  callInfo.command = command.path;
  try {
    const parsed = parseOptions(command, argv.slice(words), words);
    if (parsed.help) {
      process.stdout.write(usageOf(command));
      return 0;
    }
    const deprecated = [...(command.deprecated ? [command.path] : []), ...parsed.deprecated.map((flag) => `${command.path} ${flag}`)];
    if (deprecated.length) callInfo.deprecated = deprecated;
    const code = await command.run({ ...parsed, command });
    return config.exitCodes?.[command.kind] ?? code;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageFailure(error.message, usageOf(error.command ?? command));
  }
}

main().then(finish, (error) => {
  process.stderr.write(`mod stand-in crashed: ${redact(error?.stack ?? error)}\n`);
  finish(70);
});
