/**
 * Plain Terraform (or OpenTofu) on the synthesized stacks, without the cdktf CLI (HashiCorp deprecated CDKTF in
 * December 2025 and no longer maintains it):
 *
 *   node --import tsx src/terraform-cli.ts --stack <environment> <terraform arguments...>   e.g.  --stack prod plan
 *   pnpm nx run infra:plan --stack=prod          (infra:apply, infra:destroy; or MASS_INGEST_STACKS=prod)
 *
 * Synthesizes the one environment into `cdktf.out/stacks/<environment>/cdk.tf.json` (a bad config prints its
 * problems once and exits 2), then runs `<binary> init -input=false` and `<binary> <arguments>` in that folder.
 * `TF_BINARY` picks the binary (`terraform` by default, `tofu` for OpenTofu). The exit code is Terraform's.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_ENV } from "./config/load.js";

const infraDir = fileURLToPath(new URL("..", import.meta.url));
/** An empty Terraform CLI configuration, used when TF_CLI_CONFIG_FILE names a file that does not exist. */
export const EMPTY_CLI_CONFIG = join(infraDir, "terraform-cli.tfrc");

/**
 * The environment of the synth and Terraform children: no HashiCorp checkpoint calls, and an existing CLI
 * configuration (Terraform warns about a TF_CLI_CONFIG_FILE that is missing; one that exists is kept as is).
 */
export function terraformEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const configured = env.TF_CLI_CONFIG_FILE;
  const cliConfig =
    configured !== undefined && configured !== "" && !existsSync(configured) ? { TF_CLI_CONFIG_FILE: EMPTY_CLI_CONFIG } : {};
  return { ...env, CHECKPOINT_DISABLE: "1", ...cliConfig };
}

function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): number {
  const result = spawnSync(command, args, { ...options, stdio: "inherit" });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    process.stderr.write(
      `mass-ingest infra: cannot run ${command}: ${result.error.message}\n` +
        `hint: ${missing ? "install Terraform 1.10+ or OpenTofu 1.10+ and put it on PATH, or name it in TF_BINARY (TF_BINARY=tofu)" : "check the binary in TF_BINARY"}\n`,
    );
    return 1;
  }
  return result.status ?? 1;
}

/** `--stack <env>` / `--stack=<env>` anywhere in `argv` (else MASS_INGEST_STACKS), and the Terraform arguments. */
export function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv): { environment?: string; args: string[] } {
  const args: string[] = [];
  let environment = env[CONFIG_ENV.stacks]?.trim() || undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--stack") environment = argv[++i];
    else if (arg.startsWith("--stack=")) environment = arg.slice("--stack=".length);
    else args.push(arg);
  }
  return { ...(environment === undefined ? {} : { environment }), args };
}

/** Synthesizes one environment, then runs Terraform with the given arguments in its folder. Returns the exit code. */
export function terraformCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const { environment, args } = parseArguments(argv, env);
  if (environment === undefined || environment === "" || environment.includes(",") || args.length === 0) {
    process.stderr.write(
      "mass-ingest infra: name one environment and a Terraform command, e.g. --stack prod plan\n" +
        "hint: pnpm nx run infra:plan --stack=prod, or MASS_INGEST_STACKS=prod pnpm nx run infra:apply\n",
    );
    return 2;
  }
  const childEnv = terraformEnvironment(env);
  const outdir = childEnv.CDKTF_OUTDIR || join(infraDir, "cdktf.out");
  const synth = run(process.execPath, ["--import", "tsx", join(infraDir, "src", "main.ts")], {
    cwd: infraDir,
    env: { ...childEnv, CDKTF_OUTDIR: outdir, [CONFIG_ENV.stacks]: environment },
  });
  if (synth !== 0) return synth;
  const binary = childEnv.TF_BINARY || "terraform";
  const cwd = join(outdir, "stacks", environment);
  if (args[0] !== "version") {
    const init = run(binary, ["init", "-input=false"], { cwd, env: childEnv });
    if (init !== 0) return init;
  }
  return run(binary, args, { cwd, env: childEnv });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = terraformCli(process.argv.slice(2));
