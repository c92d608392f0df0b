import type { ModCli, ModRunOptions, ModRunResult } from "../src/index.js";

/** picocli-style help of `mod <command>` with these options. */
export function helpText(command: string, options: readonly string[], prose = ""): string {
  const usage = `Usage: mod ${command} [-h] ${options.map((o) => `[${o}=<value>]`).join(" ")} <path>`;
  const lines = options.map((o) => `      ${o}=<value>   What ${o} does.`);
  return [
    usage,
    prose || `The ${command} command.`,
    "",
    "      <path>    The workspace.",
    "  -h, --help    Show this help message and exit.",
    ...lines,
    "",
  ].join("\n");
}

/** A ModCli answering `--version` and `<command> --help` from a table; records every call. */
export class FakeCli implements ModCli {
  readonly calls: { args: string[]; options: ModRunOptions }[] = [];
  constructor(
    readonly version: string,
    readonly commands: Record<string, readonly string[]>,
  ) {}

  async run(args: readonly string[], options: ModRunOptions = {}): Promise<ModRunResult> {
    this.calls.push({ args: [...args], options });
    const base = { timedOut: false, aborted: false, durationMs: 1, commandLine: ["mod", ...args].join(" ") };
    if (args[0] === "--version") return { ...base, exitCode: 0, outputTail: `${this.version}\n` };
    if (args.at(-1) === "--help") {
      const command = args.slice(0, -1).join(" ");
      const options = this.commands[command];
      if (!options) return { ...base, exitCode: 2, outputTail: `Unmatched argument at index ${args.length - 2}: '${args.at(-2)}'\n` };
      return { ...base, exitCode: 0, outputTail: helpText(command, options) };
    }
    return { ...base, exitCode: 0, outputTail: "" };
  }
}

/** The commands and options of CLI 4.6 as its reference lists them (the ones mass-ingest calls). */
export const CLI_46: Record<string, readonly string[]> = {
  "git sync csv": [
    "--with-sources",
    "--with-lsts",
    "--depth",
    "--filter",
    "--single-branch",
    "--limit",
    "--organization",
    "--parallel",
    "--save",
    "--trace-tag",
  ],
  build: ["--dry-run", "--offline", "--streaming", "--full", "--parallel", "--incremental", "--trace-tag"],
  publish: ["--trace-tag"],
  "log syncs add": ["--sync", "--last-sync"],
  "log builds add": ["--build", "--last-build"],
  monitor: ["--port"],
  "config moderne edit": ["--api", "--skip-ssl", "--token", "--user", "--password"],
  "config moderne login": ["--with-token", "--expiration"],
  "config lsts artifacts maven add": ["--authorization", "--user", "--password", "--local", "--save", "--skip-ssl"],
  "config lsts artifacts maven edit": ["--authorization", "--user", "--password", "--local", "--save", "--skip-ssl"],
  "config lsts artifacts artifactory add": ["--authorization", "--jfrog-api-token", "--user", "--password", "--skip-ssl"],
  "config lsts artifacts artifactory edit": ["--authorization", "--jfrog-api-token", "--user", "--password", "--skip-ssl"],
  "config lsts artifacts s3 edit": ["--endpoint-url", "--profile", "--region", "--skip-ssl"],
};
