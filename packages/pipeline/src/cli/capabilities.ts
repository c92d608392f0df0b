/**
 * What the installed Moderne CLI can do, read from the CLI itself: `mod --version` and `mod <command> --help` of each
 * command we call (picocli help: a `Usage:` synopsis and one line per option). Probed once per CLI version and kept
 * in the data directory (`mod-capabilities.json`), so a night's runs pay for the probes once.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PipelineError } from "../errors.js";
import type { ModCli, ModRunResult } from "../mod-cli.js";
import { writeJsonAtomic } from "../report.js";

/** What `mod <command> --help` said: whether the command exists, and its long options (`--with-sources`, ...). */
export interface CommandHelp {
  available: boolean;
  options: string[];
}

/** The cache file in the data directory: per CLI version, the commands probed. */
export const CAPABILITIES_FILE = "mod-capabilities.json";

interface CacheFile {
  kind: "mass-ingest/mod-capabilities";
  version: 1;
  cli: Record<string, { probedAt: string; commands: Record<string, CommandHelp> }>;
}

/** `x.y.z` anywhere in `mod --version`'s output (e.g. "Moderne CLI 4.6.3"), or undefined. */
export function parseCliVersion(text: string): string | undefined {
  return /(\d+\.\d+\.\d+)/.exec(text)?.[1];
}

/** Compare two `x.y.z` versions: negative, 0, positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The long options of a picocli help text: those of the `Usage:` synopsis (with its indented continuation lines) and of the
 * option lines (`  -h, --help ...`, `      --dry-run ...`). Description prose is not read: the reference's prose
 * still names options the parser no longer has.
 */
export function parseHelpOptions(text: string): string[] {
  const options = new Set<string>();
  let inUsage = false;
  for (const line of text.split(/\r?\n/)) {
    // The synopsis: the `Usage:` line and its indented continuation lines (the description starts unindented).
    if (/^\s*Usage:/i.test(line)) inUsage = true;
    else if (line.trim() === "" || !/^\s/.test(line)) inUsage = false;
    const optionLine = /^\s*(?:-[A-Za-z?],\s*)?--[A-Za-z]/.test(line);
    if (!inUsage && !optionLine) continue;
    const source = inUsage ? line : (/^\s*((?:-[A-Za-z?],\s*)?--[\w-]+(?:[=\s]\S+)?(?:,\s*--[\w-]+)*)/.exec(line)?.[1] ?? "");
    for (const m of source.matchAll(/(?:^|[\s[,|(])(--[A-Za-z][\w-]*)/g)) options.add(m[1]!);
  }
  return [...options].sort();
}

/** A command's help from its probe: present when `--help` exited 0 (picocli refuses an unknown sub-command with 2). */
export function commandHelpOf(command: string, result: Pick<ModRunResult, "exitCode" | "outputTail">): CommandHelp {
  if (result.exitCode !== 0) return { available: false, options: [] };
  const usage = /^\s*Usage:\s*(.*)$/im.exec(result.outputTail)?.[1];
  const last = command.split(" ").at(-1)!;
  if (usage !== undefined && !usage.split(/\s+/).includes(last)) return { available: false, options: [] };
  return { available: true, options: parseHelpOptions(result.outputTail) };
}

/** The probed CLI: its version and the help of the commands asked about. */
export class ModCapabilities {
  constructor(
    /** `x.y.z`, or undefined when `mod --version` printed none. */
    readonly version: string | undefined,
    /** The first line of `mod --version`, for messages. */
    readonly versionText: string,
    readonly commands: Readonly<Record<string, CommandHelp>>,
  ) {}

  /** "Moderne CLI 4.6.3" or the banner as printed. */
  get label(): string {
    return this.version ? `Moderne CLI ${this.version}` : `Moderne CLI "${this.versionText}" (no x.y.z version)`;
  }

  /** A warning when `mod --version` printed no x.y.z: version-gated choices (4.8+ environment configuration) are off. */
  get versionWarning(): string | undefined {
    if (this.version) return undefined;
    return `\`mod --version\` printed no x.y.z version ("${this.versionText.slice(0, 80)}"): the probed options decide the calls; environment configuration of the store (4.8+) is not used`;
  }

  has(command: string, ...options: string[]): boolean {
    const help = this.commands[command];
    return help?.available === true && options.every((o) => help.options.includes(o));
  }

  /** True when the version is known and at least `version`. */
  atLeast(version: string): boolean {
    return this.version !== undefined && compareVersions(this.version, version) >= 0;
  }

  /** Throw MOD_CLI_INCAPABLE (exit 2) unless `mod <command>` exists with every option; `why` names the setting. */
  require(command: string, options: readonly string[], why: string): void {
    const help = this.commands[command];
    if (!help?.available) throw incapable(this, `has no \`mod ${command}\` command`, why);
    const missing = options.filter((o) => !help.options.includes(o));
    if (missing.length) throw incapable(this, `\`mod ${command}\` has no ${missing.join(", ")} option`, why);
  }
}

function incapable(caps: ModCapabilities, what: string, why: string): PipelineError {
  return new PipelineError("MOD_CLI_INCAPABLE", `${caps.label} ${what} (needed ${why}); no repository was touched`, {
    hint: "Install a Moderne CLI 4.x that has it (docs/moderne-cli.md lists each call and the versions it needs), or change the setting.",
  });
}

async function readCache(file: string): Promise<CacheFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as CacheFile;
    return parsed?.kind === "mass-ingest/mod-capabilities" && parsed.version === 1 && typeof parsed.cli === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export interface ProbeOptions {
  /** Where the cache file lives (the data directory); undefined = no cache. */
  dataDir?: string;
  signal?: AbortSignal;
  /** Per call (ms, default 120 000: a cold JVM start can be slow). */
  timeoutMs?: number;
}

/**
 * `mod --version`, then `mod <command> --help` for each of `commands` the cache of this version lacks. Throws
 * MOD_CLI_UNAVAILABLE (exit 2) when `mod --version` fails. A probe that neither succeeded nor was refused by the
 * parser (exit 0 / 2) is not cached.
 */
export async function probeCapabilities(cli: ModCli, commands: readonly string[], options: ProbeOptions = {}): Promise<ModCapabilities> {
  const run = (args: string[]) =>
    cli.run(args, { timeoutMs: options.timeoutMs ?? 120_000, ...(options.signal ? { signal: options.signal } : {}) });
  const v = await run(["--version"]);
  if (v.exitCode !== 0) {
    throw new PipelineError(
      "MOD_CLI_UNAVAILABLE",
      `\`${v.commandLine}\` failed (exit ${v.exitCode ?? v.signal ?? "?"}): ${v.outputTail.trim().slice(-300)}`,
      {
        hint: "Run `mod --version` by hand in the same environment; the 4.x CLI needs Java 25 (MODERNE_JAVA_HOME or JAVA_HOME).",
      },
    );
  }
  const versionText = v.outputTail.trim().split("\n")[0]?.trim() ?? "";
  const version = parseCliVersion(v.outputTail);
  const file = options.dataDir && version ? path.join(options.dataDir, CAPABILITIES_FILE) : undefined;
  const cache = file ? await readCache(file) : undefined;
  const known = { ...(version ? cache?.cli[version]?.commands : undefined) };
  const fresh: Record<string, CommandHelp> = {};
  const all = { ...known };
  for (const command of commands) {
    if (all[command]) continue;
    const result = await run([...command.split(" "), "--help"]);
    all[command] = commandHelpOf(command, result);
    if (result.exitCode === 0 || result.exitCode === 2) fresh[command] = all[command];
  }
  if (file && version && Object.keys(fresh).length) {
    const next: CacheFile = cache ?? { kind: "mass-ingest/mod-capabilities", version: 1, cli: {} };
    next.cli[version] = { probedAt: new Date().toISOString(), commands: { ...known, ...fresh } };
    await writeJsonAtomic(file, next).catch(() => undefined);
  }
  return new ModCapabilities(version, versionText, all);
}
