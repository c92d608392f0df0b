// `mod build <path>`: per repository build.log and <name>-<buildId>-ast.jar, a build trace.csv, the lock's build fields.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Buffer } from "node:buffer";
import { setInterval } from "node:timers";
import { setTimeout as sleep } from "node:timers/promises";
import { bad, byPattern, cliVersion, commandDir, config, matches, ok, onSignal, readJson, recordCall, say } from "./standin-context.mjs";
import { buildTools, headOf, osColumns, runBuildHook, sourceStats } from "./standin-measure.mjs";
import { summaryLine } from "./standin-sync.mjs";
import { OUTCOME, createTrace, readTrace, updateLock } from "./standin-trace.mjs";

/** Workspace-relative folders holding a git checkout (not descending into them, skipping .moderne). */
export function findRepos(dir, rel = "", depth = 0) {
  const here = path.join(dir, rel);
  if (existsSync(path.join(here, ".git"))) return rel ? [rel] : [];
  if (depth > 4 || !existsSync(here)) return [];
  return readdirSync(here, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== ".moderne")
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => findRepos(dir, path.posix.join(rel, e.name), depth + 1));
}

/** Sync columns of a repository: its row in the last sync's trace, else what its settings.json says. */
function syncColumns(syncRows, rel, settings) {
  const row = syncRows[rel];
  if (row) return Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith("tag.")));
  return { origin: settings.origin ?? "", path: rel, branch: settings.branch ?? "", syncCloneUri: settings.cloneUrl ?? "" };
}

function hang(rel, log) {
  appendFileSync(log, "hanging (hangBuild configured)\n");
  const grandchild = spawn("sleep", ["100000"], { stdio: "ignore" });
  say(`Building ${rel} hangs (grandchild pid ${grandchild.pid})`);
  recordCall({ exitCode: null, end: null, hung: true, grandchildPid: grandchild.pid });
  setInterval(() => {}, 60_000);
  return new Promise(() => {});
}

/** Build one checkout: { outcome, columns } (columns = the trace's build* fields). */
/** The `needsJdk` knob: the failure a build on the wrong JDK prints (a class file newer than the JDK), or undefined. */
function wrongJdk(rel, settings) {
  const needed = byPattern(config.needsJdk, rel, undefined);
  if (needed === undefined) return undefined;
  const given = /^(?:1\.)?(\d+)/.exec(settings.java ?? "")?.[1];
  if (given === String(needed)) return undefined;
  return `Unsupported class file major version ${Number(needed) + 44}`;
}

async function buildRepo(ws, rel, buildId, outDir, log, settings) {
  const repoDir = path.join(ws, rel);
  if (matches(config.hangBuild, rel)) await hang(rel, log);
  await sleep(byPattern(config.buildMsByRepo, rel, config.buildMs ?? 20));
  const head = await headOf(repoDir);
  const base = { buildChangeset: head, buildCliVersion: cliVersion, buildId, ...osColumns() };
  if (matches(config.skipBuild, rel)) {
    appendFileSync(log, "BUILD SKIPPED (skipBuild configured)\n");
    return { outcome: OUTCOME.skipped, columns: base };
  }
  const hookCode = await runBuildHook(repoDir, log);
  if (hookCode !== undefined && hookCode !== 0) {
    appendFileSync(log, `BUILD FAILED (.standin-build.sh exited ${hookCode})\n`);
    return { outcome: OUTCOME.failed, columns: base };
  }
  const jdkError = wrongJdk(rel, settings);
  if (jdkError) {
    appendFileSync(log, `[ERROR] Failed to execute goal: ${jdkError}\nBUILD FAILURE\n`);
    say(bad(`${rel}: ${jdkError}`));
    return { outcome: OUTCOME.failed, columns: base };
  }
  if (matches(config.failBuild, rel)) {
    appendFileSync(log, "BUILD FAILED (failBuild configured)\n");
    return { outcome: OUTCOME.failed, columns: base };
  }
  const stats = sourceStats(repoDir);
  const AdmZip = (await import("adm-zip")).default;
  const jar = new AdmZip();
  jar.addFile("META-INF/MANIFEST.MF", Buffer.from("Manifest-Version: 1.0\nCreated-By: mod stand-in\n"));
  jar.addFile("lst.json", Buffer.from(JSON.stringify({ repo: rel, changeset: head, built: buildId })));
  jar.writeZip(path.join(outDir, `${path.basename(rel)}-${buildId}-ast.jar`));
  appendFileSync(log, "BUILD SUCCEEDED\n");
  return {
    outcome: OUTCOME.ok,
    columns: {
      ...base,
      ...buildTools(repoDir),
      buildDependencyResolutionTimeMs: 0,
      buildSourceFileCount: stats.files,
      buildLineCount: stats.lines,
      buildParseErrorCount: byPattern(config.parseErrors, rel, 0),
      buildWeight: stats.lines,
      buildMaxWeight: stats.max.size,
      buildMaxWeightSourceFile: stats.max.file,
    },
  };
}

/** Exit code of a build or publish: 0 all ok, 1 all failed, `partialExit` (default 1) when only some failed. */
export const exitFor = (succeeded, failed) => (failed === 0 ? 0 : succeeded === 0 ? 1 : (config.partialExit ?? 1));

export async function build({ values, positionals }) {
  const ws = positionals[0];
  const started = Date.now();
  const syncRows = readTrace(ws, "sync");
  const checkouts = findRepos(ws);
  if (values["dry-run"]) {
    for (const rel of checkouts) say(`Would build ${rel}`);
    return 0;
  }
  // Rows of the last sync that produced no usable checkout are Skipped.
  const notSynced = Object.values(syncRows).filter((r) => r.syncOutcome !== OUTCOME.ok && !checkouts.includes(r.path));
  const { id: buildId, dir: batchDir } = commandDir(ws, "build");
  const batchLog = path.join(batchDir, "build.log");
  writeFileSync(batchLog, `build of ${checkouts.length} repositories\n`);
  const trace = createTrace(batchDir, "build", values["trace-tag"] ?? []);
  for (const r of notSynced) trace.add({ ...r, buildOutcome: OUTCOME.skipped, buildId });
  let done = 0;
  onSignal.push(() => {
    for (const rel of checkouts.slice(done)) trace.add({ ...syncColumns(syncRows, rel, {}), buildOutcome: OUTCOME.canceled, buildId });
  });
  const counts = { [OUTCOME.ok]: 0, [OUTCOME.failed]: 0, [OUTCOME.skipped]: 0 };
  const lock = {};
  for (const [index, rel] of checkouts.entries()) {
    const outDir = path.join(ws, rel, ".moderne", "build", buildId);
    mkdirSync(outDir, { recursive: true });
    const log = path.join(outDir, "build.log");
    const settings = readJson(path.join(ws, rel, ".moderne", "settings.json"), {});
    say(`[${index + 1}/${checkouts.length}] Building ${rel} (java ${settings.java ?? "default"})`);
    writeFileSync(log, `building ${rel} with settings ${JSON.stringify(settings)}\n`);
    const start = new Date();
    const result = await buildRepo(ws, rel, buildId, outDir, log, settings);
    const end = new Date();
    done++;
    const row = trace.add({
      ...syncColumns(syncRows, rel, settings),
      organization: syncRows[rel]?.organization ?? "",
      ...result.columns,
      buildOutcome: result.outcome,
      buildStartTime: start.toISOString(),
      buildEndTime: end.toISOString(),
      buildElapsedTimeMs: end - start,
      buildLog: log,
    });
    writeFileSync(path.join(outDir, "build.json"), JSON.stringify(row, null, 2));
    counts[result.outcome]++;
    appendFileSync(batchLog, `${result.outcome === OUTCOME.ok ? "OK" : result.outcome.toUpperCase()} ${rel}\n`);
    say(result.outcome === OUTCOME.ok ? ok(`Built ${rel}`) : bad(`Build of ${rel} ${result.outcome.toUpperCase()}`));
    lock[rel] = {
      branch: row.branch,
      changeset: row.buildChangeset,
      status: result.outcome,
      cliVersion,
      reproducible: String(result.outcome === OUTCOME.ok && !matches(config.notReproducible, rel)),
      // a failed build's row has no publish location
      ...(result.outcome === OUTCOME.failed ? { publishUri: "", publishTimestamp: "" } : {}),
    };
  }
  updateLock(ws, lock, ["branch", "changeset", "status", "cliVersion", "reproducible"]);
  const failed = counts[OUTCOME.failed];
  say(`Built ${counts[OUTCOME.ok]} of ${checkouts.length} repositories`);
  say(summaryLine(counts[OUTCOME.ok] + failed, failed, started));
  return exitFor(counts[OUTCOME.ok], failed);
}
