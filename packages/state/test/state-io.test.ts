// A submit's state I/O, counted at the store's backend: state.json is read (and parsed) once and written once per
// submit (prepareRun with `record`), compact; a dry run reads it once and writes nothing; the write is conditional on
// the very read the selection used, so a writer that slips in between makes it plan again from a fresh read (S3 on
// moto_server: If-Match; local: a lock taken over as stale, the per-file If-Match check), never overwrite.
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createS3Client } from "@mass-ingest/core/aws";
import { startGitServer, startMoto, type GitServer, type Moto } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  lsRemote,
  openResultRecorder,
  openStateStore,
  prepareRun,
  type PrepareRunOptions,
  type StateRow,
  type StateStore,
} from "../src/index.js";
import { parseState, serializeState } from "../src/parse.js";
import { entry } from "./helpers.js";

let server: GitServer;
let moto: Moto;
let dir = "";
let prefixes = 0;
const bucket = "state-io";
const names = ["o/a", "o/b", "o/c", "o/d"];

beforeAll(async () => {
  server = await startGitServer({ daemon: false });
  for (const n of names) await server.createRepo(n);
  moto = await startMoto();
  const s3 = createS3Client({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  dir = await mkdtemp(path.join(os.tmpdir(), "state-io-"));
});
afterAll(async () => {
  await server?.stop();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const csv = { location: "repos.csv", rowCount: names.length, sha256: "1".repeat(64) };
const rows = (): StateRow[] => names.map((n, i) => ({ row: i + 1, cloneUrl: server.httpUrl(n) }));
const options = (runId: string, extra: Partial<PrepareRunOptions> = {}): PrepareRunOptions => ({ runId, csv, cliVersion: "3.1", ...extra });

/** Count the store's reads and writes of state.json at its backend; `beforeWrite` runs before each write. */
function counted(store: StateStore) {
  const counts = { reads: 0, writes: 0, beforeWrite: undefined as (() => Promise<void>) | undefined };
  const backend = store.backend as { -readonly [K in keyof StateStore["backend"]]: StateStore["backend"][K] };
  const read = backend.read.bind(backend);
  const write = backend.write.bind(backend);
  backend.read = (key, o) => {
    if (key === "state.json") counts.reads++;
    return read(key, o);
  };
  backend.write = async (key, text, condition, o) => {
    if (key === "state.json") {
      counts.writes++;
      await counts.beforeWrite?.();
    }
    return write(key, text, condition, o);
  };
  return counts;
}

/** Night 1 submitted and built (every repository ok at its current commit), pending in the state. */
async function night1(store: StateStore): Promise<void> {
  const first = await prepareRun(store, rows(), options("r1", { record: true }));
  for (const p of first.manifest.partitions) {
    const recorder = await openResultRecorder(store, "r1", p.partition);
    for (const r of p.rows) {
      const commit = (await lsRemote([{ key: r.key, url: rows()[r.row - 1]!.cloneUrl }])).get(r.key);
      await recorder.record({
        key: r.key,
        row: r.row,
        cloneUrl: rows()[r.row - 1]!.cloneUrl,
        ...(commit?.ok ? { commit: commit.commit } : {}),
        fingerprint: first.rows.get(r.row)!.fingerprint,
        outcome: "ok",
        durations: { buildMs: 100 },
        finishedAt: new Date().toISOString(),
      });
    }
  }
}

/** A new store location of each kind, and a way to open a store on it (a second writer opens its own). */
const stores: Record<string, () => { location: string; open: () => StateStore }> = {
  local: () => {
    const location = path.join(dir, `local-${++prefixes}`);
    return { location, open: () => openStateStore(location) };
  },
  s3: () => {
    const location = `s3://${bucket}/t${++prefixes}`;
    const aws = { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials };
    return { location, open: () => openStateStore(location, { aws }) };
  },
};

describe.each(Object.keys(stores))("state I/O per submit (%s)", (kind) => {
  test("a submit reads state.json once and writes it once, compact; a dry run reads once and writes nothing", async () => {
    const store = stores[kind]!().open();
    await night1(store);
    const before = (await store.backend.read("state.json"))!.text;
    const io = counted(store);
    const dry = await prepareRun(store, rows(), options("dry"));
    expect(io).toMatchObject({ reads: 1, writes: 0 });
    expect(dry.selection.counts).toMatchObject({ unchanged: 4 });
    expect(dry.location).toBeUndefined();
    expect((await store.backend.read("state.json"))!.text).toBe(before);
    expect(await store.listRuns()).toEqual(["r1"]);
    io.reads = 0;
    const night2 = await prepareRun(store, rows(), options("r2", { record: true }));
    expect(io).toMatchObject({ reads: 1, writes: 1 });
    expect(night2.location).toBe(store.location("runs/r2/manifest.json"));
    const text = (await store.backend.read("state.json"))!.text;
    expect(text.trimEnd()).not.toContain("\n"); // compact: one line
    const state = parseState(text, "state.json");
    expect(state.pendingRuns).toEqual(["r2"]); // r1 folded (every planned repository has a result) and dropped
    expect(Object.values(state.repos).map((e) => e.checkedAt)).toEqual(Array(4).fill(night2.manifest.createdAt));
    expect((await store.readManifest("r2")).runId).toBe("r2");
    store.close();
  });

  test("a writer that slips in between the read and the write: the submit plans again from a fresh read", async () => {
    const where = stores[kind]!();
    const store = where.open();
    await night1(store);
    const io = counted(store);
    const other = where.open();
    io.beforeWrite = async () => {
      io.beforeWrite = undefined;
      // another writer (S3: a second chunker; local: one that took the lock over as stale) changes state.json
      const current = parseState((await other.backend.read("state.json"))!.text, "state.json");
      await other.backend.write("state.json", serializeState({ ...current, repos: { ...current.repos, intruder: entry() } }));
    };
    const prepared = await prepareRun(store, rows(), options("r2", { record: true }));
    expect(io).toMatchObject({ reads: 2, writes: 2 }); // the first write lost, the retry read again and won
    const state = await store.readState();
    expect(Object.keys(state.repos)).toContain("intruder");
    expect(state.pendingRuns).toEqual(["r2"]);
    expect(prepared.selection.counts).toMatchObject({ unchanged: 4 });
    other.close();
    store.close();
  });
});

test("a corrupt state.json: a dry run with full writes nothing; the submit with full replaces it", async () => {
  const store = openStateStore(path.join(dir, "corrupt"));
  await mkdir(path.join(dir, "corrupt"), { recursive: true });
  await writeFile(store.location("state.json"), "{ not json");
  await expect(prepareRun(store, rows(), options("r1"))).rejects.toMatchObject({ code: "STATE_CORRUPT" });
  expect((await prepareRun(store, rows(), options("dry", { full: true }))).selection.counts).toMatchObject({ full: 4 });
  expect(await readFile(store.location("state.json"), "utf8")).toBe("{ not json");
  await prepareRun(store, rows(), options("r1", { full: true, record: true }));
  expect((await store.readState()).pendingRuns).toEqual(["r1"]);
  store.close();
});

test("readers accept a pretty-printed state.json (written by an older mass-ingest)", async () => {
  const store = openStateStore(path.join(dir, "pretty"));
  await store.updateState((s) => ({ ...s, repos: { k: entry() } }));
  const file = store.location("state.json");
  const pretty = JSON.stringify(JSON.parse(await readFile(file, "utf8")), null, 2);
  expect(parseState(pretty, file).repos.k).toEqual(entry());
  store.close();
});
