// Shared by the triage end-to-end tests: nights of the real chunker (`submit --executor local`) running the real
// processor (built: `npx tsup` in apps/processor) against one state directory, with the Moderne CLI stand-in, and
// time passing between nights. The chunker has no clock setting, so a night passes by moving every timestamp the
// state holds one day back (state.json, the runs' manifests, selections and results): to the chunker's next
// selection, the last night then finished a day ago, on another UTC day, exactly as if the clock had moved on.
import { createReadStream } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readRepos } from "@mass-ingest/partition";
import { workDirName } from "@mass-ingest/pipeline";
import type { ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { chunker } from "./helpers.js";

export const DAY_MS = 86_400_000;
const processorMain = fileURLToPath(new URL("../../../processor/dist/main.js", import.meta.url));
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function shifted(value: unknown, ms: number): unknown {
  if (typeof value === "string") return ISO.test(value) ? new Date(Date.parse(value) - ms).toISOString() : value;
  if (Array.isArray(value)) return value.map((v) => shifted(v, ms));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shifted(v, ms)]));
  return value;
}

/** Every ISO timestamp in the state directory's JSON files, `ms` earlier (default one day): a night passes. */
export async function passNight(stateDir: string, ms = DAY_MS): Promise<number> {
  let files = 0;
  for (const entry of await readdir(stateDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
    const file = join(entry.parentPath, entry.name);
    await writeFile(file, JSON.stringify(shifted(JSON.parse(await readFile(file, "utf8")), ms), null, 2) + "\n");
    files++;
  }
  return files;
}

/** Each csv row's work directory name (the folders are named by repository): name -> row. */
export async function workDirRows(csv: string): Promise<Map<string, number>> {
  const { repos } = await readRepos(createReadStream(csv, "utf8"), { mode: "lenient" });
  return new Map(repos.map((r) => [workDirName([r]), r.row] as const));
}

/**
 * The work directories the stand-in built in since its last reset, as `row-N` (one repository per group), with a
 * retry's suffix kept (`row-N-jdk21`).
 */
export async function builtGroups(mod: ModStandIn, csv: string): Promise<string[]> {
  const rows = await workDirRows(csv);
  return (await mod.calls())
    .filter((c) => c.argv[0] === "build" && !c.argv.includes("--help"))
    .map((c) => {
      const name = basename(c.argv[1] ?? "");
      const [dir, suffix] = /^(.*?)(-jdk\d+)?$/.exec(name)!.slice(1);
      const row = rows.get(dir!);
      return row === undefined ? name : `row-${row}${suffix ?? ""}`;
    })
    .sort();
}

/** The rows the stand-in built since its last reset (one repository per group). */
export async function builtRows(mod: ModStandIn, csv: string): Promise<number[]> {
  return (await builtGroups(mod, csv)).map((g) => Number(/^row-(\d+)/.exec(g)?.[1])).sort((a, b) => a - b);
}

export interface Night {
  code: number | null;
  stdout: string;
  stderr: string;
  built: number[];
}

/**
 * A night: reset the stand-in's records, run the chunker over `csv` with the state in `<dataDir>/state`, and say
 * what the stand-in built. Afterwards the night has passed (passNight), ready for the next one.
 */
export async function runNight(
  mod: ModStandIn,
  csv: string,
  dataDir: string,
  runId: string,
  env: Record<string, string | undefined> = {},
  extra: string[] = [],
): Promise<Night> {
  mod.reset();
  const processor = `${process.execPath} ${processorMain}`;
  const r = await chunker(
    ["submit", csv, "--executor", "local", "--run-id", runId, "--processor", processor, "--partition-size", "30", ...extra],
    { ...mod.env, MOD_CLI: mod.command, DATA_DIR: dataDir, PUBLISH_URL: undefined, BUILD_CONCURRENCY: "4", ...env },
  );
  const night = { code: r.code, stdout: r.stdout, stderr: r.stderr, built: await builtRows(mod, csv) };
  await passNight(join(dataDir, "state"));
  return night;
}
