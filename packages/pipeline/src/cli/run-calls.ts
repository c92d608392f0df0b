/** The CLI calls a run makes on the repositories, and what each needs of the CLI (checked before any repository). */
import type { ModCapabilities } from "./capabilities.js";

/** What a run will call besides the per-group commands. */
export interface RunNeeds {
  /** `mod publish` runs (an artifact store is configured). */
  publish: boolean;
  /** `mod monitor --port` runs (MOD_MONITOR_PORT). */
  monitor: boolean;
}

/** Each command a run calls, with the options it passes. */
const RUN_CALLS: ReadonlyArray<{ command: string; options: string[]; when?: keyof RunNeeds; why: string }> = [
  { command: "git sync csv", options: ["--with-sources"], why: "to clone each group" },
  { command: "log syncs add", options: ["--last-sync"], why: "to collect the sync logs" },
  { command: "build", options: [], why: "to build the LSTs" },
  { command: "publish", options: [], when: "publish", why: "to publish to PUBLISH_URL" },
  { command: "log builds add", options: ["--last-build"], why: "to collect the build logs" },
  { command: "monitor", options: ["--port"], when: "monitor", why: "for MOD_MONITOR_PORT" },
];

/** The commands to probe for a run with these needs. */
export function runProbes(needs: RunNeeds): string[] {
  return RUN_CALLS.filter((c) => !c.when || needs[c.when]).map((c) => c.command);
}

/** Throw MOD_CLI_INCAPABLE (exit 2) naming version, command and option unless the CLI has every call of the run. */
export function requireRunCalls(caps: ModCapabilities, needs: RunNeeds): void {
  for (const call of RUN_CALLS) if (!call.when || needs[call.when]) caps.require(call.command, call.options, call.why);
}
