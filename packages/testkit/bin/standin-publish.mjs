// `mod publish <path>`: upload each repository's last LST to the configured store (Maven/Artifactory: HTTP PUT;
// S3: recorded only), a publish trace.csv and publish.log, and the lock's publishUri/publishTimestamp.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Buffer } from "node:buffer";
import {
  available,
  bad,
  commandDir,
  config,
  home,
  loadCliConfig,
  matches,
  ok,
  onSignal,
  readJson,
  redact,
  say,
} from "./standin-context.mjs";
import { exitFor, findRepos } from "./standin-build.mjs";
import { summaryLine } from "./standin-sync.mjs";
import { OUTCOME, createTrace, latestId, updateLock } from "./standin-trace.mjs";

/** The store from MOD_LSTS_ARTIFACTS_* (4.8+), else what `mod config lsts artifacts` stored. */
export function artifactStore(env = process.env) {
  if (available({ since: "4.8.0" })) {
    const k = (name) => env[`MOD_LSTS_ARTIFACTS_${name}`];
    if (k("S3_URL")) return { type: "s3", url: k("S3_URL"), endpoint: k("S3_ENDPOINTURL"), region: k("S3_REGION"), fromEnv: true };
    if (k("MAVEN_0_URL")) return { type: "maven", url: k("MAVEN_0_URL"), authorization: k("MAVEN_0_AUTHORIZATION"), fromEnv: true };
    if (k("ARTIFACTORY_0_URL")) {
      const store = { type: "artifactory", url: k("ARTIFACTORY_0_URL"), token: k("ARTIFACTORY_0_JFROGAPITOKEN"), fromEnv: true };
      return { ...store, authorization: k("ARTIFACTORY_0_AUTHORIZATION") };
    }
  }
  return loadCliConfig().artifacts;
}

function headersFor(store) {
  const headers = { "content-type": "application/java-archive" };
  if (store.authorization) headers.authorization = store.authorization;
  else if (store.user && store.password)
    headers.authorization = "Basic " + Buffer.from(`${store.user}:${store.password}`).toString("base64");
  if (store.type === "artifactory" && store.token) headers["X-JFrog-Art-Api"] = store.token;
  return headers;
}

/**
 * True while a repository matching a `flakyPublish` pattern has failed fewer publishes than its count: the count
 * of failed attempts so far is kept in the stand-in's home, so a later `mod publish` succeeds.
 */
function flakyFailure(rel) {
  const entry = Object.entries(config.flakyPublish ?? {}).find(([pattern]) => rel.includes(pattern));
  if (!entry) return false;
  const file = path.join(home, "flaky-publish.json");
  const seen = readJson(file, {});
  const failures = seen[rel] ?? 0;
  if (failures >= entry[1]) return false;
  writeFileSync(file, JSON.stringify({ ...seen, [rel]: failures + 1 }));
  return true;
}

/** Upload one jar: { uri } or { error }. */
async function upload(store, rel, buildId, jar) {
  const name = path.basename(rel);
  const group = path.posix.dirname(rel) === "." ? "default" : path.posix.dirname(rel);
  const target = `${store.url.replace(/\/+$/, "")}/${group}/${name}/${buildId}/${name}-${buildId}-ast.jar`;
  if (matches(config.failPublish, rel)) return { error: "failPublish configured" };
  if (flakyFailure(rel)) return { error: `to ${redact(target)} failed: HTTP 503 Service Unavailable (flakyPublish configured)` };
  if (store.type === "s3") return { uri: target, status: 0 };
  try {
    const status = (await globalThis.fetch(target, { method: "PUT", headers: headersFor(store), body: readFileSync(jar) })).status;
    if (status < 200 || status > 299) return { error: `to ${redact(target)} failed: HTTP ${status}` };
    return { uri: target, status };
  } catch (error) {
    return { error: `to ${redact(target)} failed: ${error.cause?.code ?? error.message}` };
  }
}

/** The repository's last build: { buildId, row (its build trace row), jar (when it produced one) }. */
function lastBuild(ws, rel) {
  const root = path.join(ws, rel, ".moderne", "build");
  const buildId = latestId(root);
  if (!buildId) return {};
  const jar = path.join(root, buildId, `${path.basename(rel)}-${buildId}-ast.jar`);
  const row = readJson(path.join(root, buildId, "build.json"), {});
  return { buildId, row, jar: existsSync(jar) ? jar : undefined };
}

export async function publish({ values, positionals }) {
  if (values["sync-csv"]) {
    say(bad("The stand-in does not model `mod publish --sync-csv`"));
    return 1;
  }
  const ws = positionals[0];
  const store = artifactStore();
  if (!store) {
    say(bad("No artifact repository configured: run `mod config lsts artifacts ... add` first"));
    return 1;
  }
  const started = Date.now();
  const { id: publishId, dir } = commandDir(ws, "publish");
  const logFile = path.join(dir, "publish.log");
  writeFileSync(logFile, `publish to ${store.type} ${redact(store.url)}\n`);
  const trace = createTrace(dir, "publish", values["trace-tag"] ?? []);
  const repos = findRepos(ws);
  let done = 0;
  onSignal.push(() => {
    for (const rel of repos.slice(done)) trace.add({ ...lastBuild(ws, rel).row, path: rel, publishOutcome: OUTCOME.canceled, publishId });
  });
  let failed = 0;
  let published = 0;
  const lock = {};
  for (const rel of repos) {
    const { buildId, row = {}, jar } = lastBuild(ws, rel);
    const start = new Date();
    const result = jar ? await upload(store, rel, buildId, jar) : { skipped: true };
    const end = new Date();
    done++;
    const outcome = result.skipped ? OUTCOME.skipped : result.error ? OUTCOME.failed : OUTCOME.ok;
    trace.add({
      ...row,
      path: rel,
      publishOutcome: outcome,
      publishStartTime: start.toISOString(),
      publishEndTime: end.toISOString(),
      publishId,
      publishUri: result.uri ? redact(result.uri) : "",
      publishElapsedTimeMs: end - start,
      publishLog: logFile,
    });
    if (result.skipped) {
      say(`Nothing to publish for ${rel}`);
      appendFileSync(logFile, `SKIPPED ${rel}: no LST from the last build\n`);
      continue;
    }
    if (result.error) {
      say(bad(`Publish of ${rel} ${result.error}`));
      appendFileSync(logFile, `FAILED ${rel}: ${result.error}\n`);
      failed++;
      lock[rel] = { status: OUTCOME.failed, publishUri: "" };
      continue;
    }
    const record = { store: store.type, repo: rel, url: redact(result.uri), status: result.status, publishId };
    appendFileSync(path.join(home, "published.jsonl"), JSON.stringify(record) + "\n");
    appendFileSync(logFile, `OK ${rel} ${redact(result.uri)}\n`);
    say(ok(`Published ${rel} to ${redact(result.uri)}`));
    lock[rel] = { status: OUTCOME.ok, publishUri: redact(result.uri), publishTimestamp: end.toISOString() };
    published++;
  }
  updateLock(ws, lock, ["status", "publishUri", "publishTimestamp"]);
  say(`Published ${published} LST(s), ${failed} failed`);
  say(summaryLine(published + failed, failed, started));
  return exitFor(published, failed);
}
