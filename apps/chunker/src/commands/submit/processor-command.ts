/**
 * The local executor's processor, found and checked before anything is recorded: `--processor` as given, else the
 * workspace's own processor (apps/processor/dist/main.js next to this chunker, run with this Node), else
 * mass-ingest-processor on PATH. A program that cannot be found is PROCESSOR_NOT_FOUND (exit 2) before a run is
 * planned or recorded, not after its partitions "ran".
 */
import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROCESSOR_BIN } from "@mass-ingest/contract";
import { findWorkspaceRoot, MassIngestError } from "@mass-ingest/core";

type Env = Readonly<Record<string, string | undefined>>;

/** apps/processor/dist/main.js of the workspace this chunker runs from, if it is built. */
export function workspaceProcessor(from = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
  const root = findWorkspaceRoot(from);
  const main = root ? path.join(root, "apps", "processor", "dist", "main.js") : undefined;
  return main && existsSync(main) ? main : undefined;
}

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Whether `program` can be started: a path that exists and is executable, or a name found on PATH. */
export function canStart(program: string, env: Env, cwd = process.cwd()): boolean {
  if (program.includes("/") || program.includes(path.sep)) return executable(path.resolve(cwd, program));
  return (env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => executable(path.join(dir, program)));
}

/** The processor command the local executor runs, checked; throws PROCESSOR_NOT_FOUND (exit 2) when it cannot start. */
/** `own`: the workspace processor (default: found next to this chunker; null: none). */
export function localProcessorCommand(
  given: readonly string[] | undefined,
  env: Env,
  own: string | null | undefined = workspaceProcessor(),
): string[] {
  const command = given && given.length > 0 ? [...given] : own ? [process.execPath, own] : [PROCESSOR_BIN];
  if (!canStart(command[0]!, env)) {
    throw new MassIngestError("PROCESSOR_NOT_FOUND", `Cannot start the processor "${command[0]}": not found or not executable.`, {
      exitCode: 2,
      hint: `Build the workspace (nx run processor:build), install ${PROCESSOR_BIN} on PATH, or pass --processor "node apps/processor/dist/main.js". Nothing was recorded.`,
    });
  }
  return command;
}

/** `settings` with the local executor's processor resolved and checked (as is for AWS Batch and dry runs). */
export function withLocalProcessor<S extends { executor: string; dryRun: boolean; processor?: string[] | undefined }>(
  settings: S,
  env: Env,
): S {
  if (settings.executor !== "local" || settings.dryRun) return settings;
  return { ...settings, processor: localProcessorCommand(settings.processor, env) };
}
