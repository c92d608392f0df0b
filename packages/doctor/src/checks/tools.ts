import { checkCloneUrl } from "@mass-ingest/partition";
import { firstLine, runTool } from "../exec.js";
import type { Check, CheckContext } from "../types.js";

interface ToolSpec {
  id: string;
  title: string;
  command: string;
  args: string[];
  /** Missing or broken: fail (true) or warn (false). */
  required: (context: CheckContext) => boolean;
  fix: string;
}

function toolCheck(spec: ToolSpec): Check {
  return {
    id: spec.id,
    title: spec.title,
    async run(context) {
      const run = await runTool(spec.command, spec.args, {
        env: context.options.processEnv ?? process.env,
        timeoutMs: 15_000,
        signal: context.signal,
      });
      if (run.exitCode === 0) return { status: "pass", detail: firstLine(run.stdout || run.stderr) || "runs" };
      const missing = run.notFound || /is not a git command/.test(run.stderr);
      const why = missing
        ? "not found on PATH"
        : run.timedOut
          ? "timed out"
          : `exited ${run.exitCode ?? "?"}: ${firstLine(run.stderr).slice(0, 200)}`;
      return {
        status: spec.required(context) ? "fail" : "warn",
        detail: `\`${spec.command} ${spec.args.join(" ")}\` ${why}`,
        fix: spec.fix,
      };
    },
  };
}

/** True when some row of the csv clones over ssh. */
function usesSsh({ csv }: CheckContext): boolean {
  return (csv?.repos ?? []).some((repo) => {
    const check = checkCloneUrl(repo.cloneUrl, true);
    return check.ok && check.parts.scheme === "ssh";
  });
}

export const gitCheck = toolCheck({
  id: "git",
  title: "git",
  command: "git",
  args: ["--version"],
  required: () => true,
  fix: "Install git (apt-get install git); the Moderne CLI clones with it.",
});

export const gitLfsCheck = toolCheck({
  id: "git-lfs",
  title: "git-lfs",
  command: "git",
  args: ["lfs", "version"],
  required: () => false,
  fix: "Install git-lfs (apt-get install git-lfs) if any repository stores files in LFS; their clones miss those files otherwise.",
});

export const sshCheck = toolCheck({
  id: "ssh",
  title: "ssh",
  command: "ssh",
  args: ["-V"],
  required: usesSsh,
  fix: "Install an ssh client (apt-get install openssh-client); needed for ssh:// and user@host:path clone URLs.",
});
