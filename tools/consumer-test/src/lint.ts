import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import type { PackedLibrary } from "./pack.js";
import { cleanEnv, run } from "./run.js";
import { rootModule } from "./workspace.js";

export interface LintReport {
  /** Problems that fail the check (publint errors and, in strict mode, warnings; attw problems). */
  errors: string[];
  /** publint suggestions: printed, never fatal. */
  suggestions: string[];
  /** attw's table, for the log. */
  attwOutput: string;
}

/**
 * publint (strict: warnings are errors) on the exact tarball that gets published, and
 * @arethetypeswrong/cli on the same tarball with the node16 profile (ESM and CJS consumers under
 * `moduleResolution: node16/nodenext`, plus bundlers).
 */
export async function lintTarball(packed: PackedLibrary): Promise<LintReport> {
  const bytes = await readFile(packed.tarball);
  const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { messages, pkg } = await publint({ pack: { tarball }, strict: true, level: "suggestion" });
  const text = (m: (typeof messages)[number]) => `publint ${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`;
  const errors = messages.filter((m) => m.type !== "suggestion").map(text);
  const suggestions = messages.filter((m) => m.type === "suggestion").map(text);

  const attw = join(rootModule("@arethetypeswrong/cli"), "dist", "index.js");
  const result = await run(
    process.execPath,
    [attw, packed.tarball, "--profile", "node16", "--format", "ascii", "--no-color", "--no-emoji"],
    { cwd: packed.library.dir, env: cleanEnv({ FORCE_COLOR: "0" }), timeoutMs: 120_000 },
  );
  if (result.code !== 0) errors.push(`attw (--profile node16) exited ${result.code}:\n${result.output.trim()}`);
  return { errors, suggestions, attwOutput: result.output };
}
