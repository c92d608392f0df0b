import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readRepos, type RepoRow } from "@mass-ingest/partition";
import type { Call } from "@mass-ingest/testkit/mod-standin";
import { ExecaModCli, type IngestSettings, type SecretRedactor } from "../src/index.js";

/** Rows from a list of clone URLs (through the real parser, so the rows look exactly like production ones). */
export async function rowsFor(urls: readonly string[], extra: { header?: string; cells?: (i: number) => string } = {}): Promise<RepoRow[]> {
  const header = `cloneUrl,branch${extra.header ? `,${extra.header}` : ""}`;
  const lines = urls.map((u, i) => `${u},main${extra.cells ? `,${extra.cells(i)}` : ""}`);
  const csv = [header, ...lines].join("\n") + "\n";
  const result = await readRepos(
    (async function* () {
      yield csv;
    })(),
    { mode: "lenient" },
  );
  return result.repos;
}

export const tmp = (prefix: string) => mkdtemp(path.join(os.tmpdir(), prefix));

/** The `mod` sub-command of a call: "sync", "sync-log", "build", "publish", "build-log", "config"; "probe" for `--help`/`--version`. */
export function kind(call: Call): string {
  const a = call.argv;
  if (a.includes("--help") || a[0] === "--version") return "probe";
  if (a[0] === "git" && a[1] === "sync") return "sync";
  if (a[0] === "log") return a[1] === "syncs" ? "sync-log" : "build-log";
  return a[0] ?? "";
}

/** The work directory (group) a call worked on. */
export function groupOf(call: Call): string | undefined {
  const a = call.argv;
  const dir = a[0] === "git" ? a[3] : a[0] === "log" ? a[3] : a[0] === "build" || a[0] === "publish" ? a[1] : undefined;
  return dir ? path.basename(dir) : undefined;
}

/** ingest's `cli` and `env` for a `mod` command (the stand-in's, or a wrapper of it), as the processor builds them. */
export function modRunner(
  command: string,
  env: Record<string, string | undefined>,
  redactor?: SecretRedactor,
): Pick<IngestSettings, "cli" | "env"> {
  return { cli: new ExecaModCli({ command, env, ...(redactor ? { redactor } : {}) }), env };
}
