import { resolveModCommand } from "@mass-ingest/pipeline";
import { envName, envValue } from "../defaults.js";
import { firstLine, runTool } from "../exec.js";
import type { Check } from "../types.js";

/** The Moderne CLI is found the way the processor finds it (MOD_CLI, `mod` on PATH, the modw wrapper) and runs. */
export const modCliCheck: Check = {
  id: "mod-cli",
  title: "Moderne CLI",
  async run({ env, options, signal }) {
    const pathEnv = (options.processEnv ?? process.env).PATH;
    let resolved;
    try {
      const modCli = envValue(env, "modCli");
      const mavenRepository = envValue(env, "mavenRepository");
      const cacheDir = envValue(env, "modwCacheDir");
      resolved = await resolveModCommand({
        ...(modCli ? { modCli } : {}),
        ...(pathEnv !== undefined ? { pathEnv } : {}),
        ...(mavenRepository ? { mavenRepository } : {}),
        ...(cacheDir ? { cacheDir } : {}),
        timeoutMs: 30_000,
      });
    } catch (error) {
      return {
        status: "fail",
        detail: (error as Error).message,
        fix: `Install the Moderne CLI so \`mod\` is on PATH, or set ${envName("modCli")} to its path (see docs/moderne-cli.md).`,
      };
    }
    const run = await runTool(resolved.command, ["--version"], { env: options.processEnv ?? process.env, timeoutMs: 45_000, signal });
    if (run.exitCode !== 0) {
      const why = run.timedOut ? "timed out" : run.notFound ? "could not be started" : `exited ${run.exitCode ?? "?"}`;
      return {
        status: "fail",
        detail: `\`${resolved.command} --version\` ${why}: ${firstLine(run.stderr || run.stdout).slice(0, 300)}`,
        fix: "Run `mod --version` by hand in the same environment; check Java (the CLI needs a JDK on PATH or JAVA_HOME) and the file's permissions.",
      };
    }
    return { status: "pass", detail: `${firstLine(run.stdout) || "version unknown"} (${resolved.source}: ${resolved.command})` };
  },
};
