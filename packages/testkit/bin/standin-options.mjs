// A picocli-like parser and usage printer over the declarative command tables of standin-commands.mjs.
// Option flags are written as picocli shows them: `--dry-run` (no value), `--port=<port>` (one value),
// `--with-token[=<token>]` (optional value). Entries with `since`/`until` exist only in those CLI versions.
import { UsageError, available } from "./standin-context.mjs";

/** { name, label, arity: 0 | 1 | "0..1", key, ...entry } of one option entry. */
export function parseFlag(entry) {
  const m = /^(--?[\w-]+)(\[=(<[^>]+>)\]|=(<[^>]+>))?$/.exec(entry.flag);
  if (!m) throw new Error(`bad flag in table: ${entry.flag}`);
  const arity = m[3] ? "0..1" : m[4] ? 1 : 0;
  return { ...entry, name: m[1], label: m[3] ?? m[4], arity, key: m[1].replace(/^-+/, "") };
}

const optionsOf = (command) => (command.options ?? []).filter(available).map(parseFlag);
const paramsOf = (command) => command.params ?? [];

const quoteList = (items) => items.map((a) => `'${a}'`).join(", ");

function takeValue(spec, args, i, inline, specs, command) {
  if (spec.arity === 0) {
    if (inline !== undefined) throw new UsageError(`option '${spec.name}' should be specified without '${inline}' parameter`, command);
    return [true, i];
  }
  if (inline !== undefined) return [inline, i];
  const next = args[i + 1];
  const nextIsOption = next !== undefined && specs.some((s) => s.name === next.split("=")[0]);
  if (spec.arity === "0..1") {
    const takes = next !== undefined && !next.startsWith("-") && paramsOf(command).length === 0;
    return takes ? [next, i + 1] : [true, i];
  }
  if (next === undefined) throw new UsageError(`Missing required parameter for option '${spec.name}' (${spec.label})`, command);
  if (nextIsOption) throw new UsageError(`Expected parameter for option '${spec.name}' but found '${next}'`, command);
  return [next, i + 1];
}

function checkPositionals(command, positionals, indexBase) {
  const params = paramsOf(command);
  if (positionals.length > params.length) {
    const extra = positionals.slice(params.length);
    const at = indexBase + extra[0].index;
    const values = extra.map((p) => p.value);
    throw new UsageError(
      extra.length === 1
        ? `Unmatched argument at index ${at}: '${values[0]}'`
        : `Unmatched arguments from index ${at}: ${quoteList(values)}`,
      command,
    );
  }
  const missing = params.slice(positionals.length).filter((p) => !p.optional);
  if (missing.length) {
    const labels = missing.map((p) => p.label);
    throw new UsageError(
      missing.length === 1 ? `Missing required parameter: '${labels[0]}'` : `Missing required parameters: ${quoteList(labels)}`,
      command,
    );
  }
}

/**
 * Parse `args` (what follows the command's words) for `command`. Returns { help: true } for -h/--help, else
 * { values, positionals, deprecated }: values by option key (arrays for repeatable options), deprecated the flags
 * used that the table marks deprecated. Throws UsageError (exit 2) as picocli would.
 */
export function parseOptions(command, args, indexBase) {
  const specs = optionsOf(command);
  const values = {};
  const positionals = [];
  const unknown = [];
  const deprecated = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      args.slice(i + 1).forEach((value, k) => positionals.push({ value, index: i + 1 + k }));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push({ value: arg, index: i });
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (name === "-h" || name === "--help") return { help: true };
    const spec = specs.find((s) => s.name === name);
    if (!spec && paramsOf(command)[positionals.length]?.dashValue) {
      positionals.push({ value: arg, index: i });
      continue;
    }
    if (!spec) {
      unknown.push(arg);
      continue;
    }
    let value;
    [value, i] = takeValue(spec, args, i, inline, specs, command);
    if (spec.deprecated) deprecated.push(spec.name);
    if (spec.repeat) (values[spec.key] ??= []).push(value);
    else if (values[spec.key] !== undefined) {
      throw new UsageError(`option '${spec.name}'${spec.label ? ` (${spec.label})` : ""} should be specified only once`, command);
    } else values[spec.key] = value;
  }
  if (unknown.length) throw new UsageError(`Unknown option${unknown.length > 1 ? "s" : ""}: ${quoteList(unknown)}`, command);
  checkPositionals(command, positionals, indexBase);
  return { values, positionals: positionals.map((p) => p.value), deprecated };
}

/** Mutually exclusive options (picocli's ArgGroup(exclusive = true) message). */
export function exclusive(command, values, keys) {
  const specs = optionsOf(command).filter((s) => keys.includes(s.key));
  const given = specs.filter((s) => values[s.key] !== undefined);
  if (given.length > 1) {
    const names = specs.map((s) => (s.label ? `${s.name}=${s.label}` : s.name));
    throw new UsageError(`Error: ${names.join(", ")} are mutually exclusive (specify only one)`, command);
  }
}

// ---------------------------------------------------------------- usage help

const synopsisOf = (spec) => {
  const text = spec.arity === 0 ? spec.name : spec.arity === 1 ? `${spec.name}=${spec.label}` : `${spec.name}[=${spec.label}]`;
  return `[${text}]${spec.repeat ? "..." : ""}`;
};

function columns(rows) {
  const width = Math.max(24, ...rows.map(([left]) => left.length + 2));
  return rows.map(([left, right]) => `${left.padEnd(width)}${right}`.trimEnd());
}

/** picocli-style usage of a leaf command: synopsis, description, positionals, then options (sorted). */
export function usageOf(command) {
  const specs = optionsOf(command).sort((a, b) => a.name.localeCompare(b.name));
  const params = paramsOf(command);
  const synopsis = [
    "Usage: mod",
    command.path,
    "[-h]",
    ...specs.map(synopsisOf),
    ...params.map((p) => (p.optional ? `[${p.label}]` : p.label)),
  ];
  const lines = [synopsis.join(" ")];
  if (command.deprecated) lines.push(`DEPRECATED: ${command.deprecated}`);
  lines.push(command.summary);
  const rows = params.map((p) => [`      ${p.label}`, p.description]);
  for (const s of specs) {
    const left = s.arity === 0 ? s.name : s.arity === 1 ? `${s.name}=${s.label}` : `${s.name}[=${s.label}]`;
    const notes = [s.deprecated ? "(DEPRECATED) " : "", s.incubating ? "(INCUBATING) " : ""].join("");
    rows.push([`      ${left}`, `${notes}${s.description}`]);
  }
  rows.push(["  -h, --help", "Show this help message and exit."]);
  return [...lines, ...columns(rows)].join("\n") + "\n";
}

/** Usage of a command group (`mod config lsts artifacts`): its available subcommands. */
export function groupUsage(groupPath, children) {
  const words = groupPath ? `mod ${groupPath}` : "mod";
  const top = groupPath === "";
  const lines = [`Usage: ${words} [-h]${top ? " [--version]" : ""} [COMMAND]`];
  const rows = [["  -h, --help", "Show this help message and exit."]];
  if (top) rows.push(["      --version", "Print version information and exit."]);
  lines.push(...columns(rows), "Commands:");
  lines.push(...columns(children.map(([name, summary]) => [`  ${name}`, summary])));
  return lines.join("\n") + "\n";
}
