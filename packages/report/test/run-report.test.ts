import { readFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@mass-ingest/core/aws";
import { exitCodeOf } from "@mass-ingest/core";
import { openStateStore, StateError, type PartitionResult, type ResultEntry, type RunManifest, type StateStore } from "@mass-ingest/state";
import { startMoto, type Moto } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishedTotals, writeRunReport, type ReportData } from "../src/index.js";
import { ReportError } from "../src/run-report.js";
import { at, night, storeNight } from "./state-fixture.js";

const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(path.join(os.tmpdir(), "run-report-"));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function threeNights(store: StateStore): Promise<void> {
  for (const day of [1, 2, 3]) await storeNight(store, night(day));
}

describe("writeRunReport on a local state store", () => {
  let root: string;
  let store: StateStore;
  beforeAll(async () => {
    root = path.join(await tmp(), "state");
    store = openStateStore(root);
    await threeNights(store);
  });

  it("latest: the newest run, written next to its records as report.html + report.json, with trends of the runs before", async () => {
    const out = await writeRunReport(store, "latest", { vcpusPerPartition: 4, pricePerVcpuHour: 0.05 });
    expect(out.runId).toBe("night-3");
    expect(out.html).toBe(path.join(root, "runs", "night-3", "report.html"));
    expect(out.inStore).toEqual({ html: out.html, json: path.join(root, "runs", "night-3", "report.json") });
    const data = JSON.parse(await readFile(out.json, "utf8")) as ReportData;
    expect(data.totals).toEqual({ repos: 8, ok: 3, failed: 1, timeout: 1, unchanged: 2, notReached: 1 });
    expect(data.trends.map((t) => t.runId)).toEqual(["night-1", "night-2", "night-3"]);
    expect(data.estimatedCost).toBeGreaterThan(0);
    expect(await readFile(out.html, "utf8")).toContain("acme/repo-3");
    expect(await store.listRuns()).toEqual(["night-1", "night-2", "night-3"]);
  });

  it("a named run, its trend window cut to N runs, and a copy in a local directory only", async () => {
    const dir = await tmp();
    const out = await writeRunReport(store, "night-2", { trends: 1, dir, store: false });
    expect(out.inStore).toBeUndefined();
    expect(out.html).toBe(path.join(dir, "report-night-2.html"));
    expect(out.data.trends.map((t) => t.runId)).toEqual(["night-2"]);
    expect((await writeRunReport(store, "night-3", { trends: 2, dir })).data.trends.map((t) => t.runId)).toEqual(["night-2", "night-3"]);
  });

  it("an unknown run or an empty store is an error that names the store and what to do (exit 2)", async () => {
    const missing = await writeRunReport(store, "night-9").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(StateError);
    expect(exitCodeOf(missing)).toBe(2);
    const empty = await writeRunReport(openStateStore(path.join(await tmp(), "none")), "latest").catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(ReportError);
    expect((empty as ReportError).message).toContain("holds no run yet");
    expect(exitCodeOf(empty)).toBe(2);
  });
});

describe("writeRunReport on S3 (moto)", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it("puts report.html (as text/html, so an S3 link opens it) and report.json under the run's prefix", async () => {
    const aws = { endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials };
    const s3 = createS3Client(aws);
    await s3.send(new CreateBucketCommand({ Bucket: "reports" }));
    const store = openStateStore("s3://reports/nightly", { aws });
    await threeNights(store);
    const out = await writeRunReport(store, "latest");
    expect(out.html).toBe("s3://reports/nightly/runs/night-3/report.html");
    const head = await s3.send(new HeadObjectCommand({ Bucket: "reports", Key: "nightly/runs/night-3/report.html" }));
    expect(head.ContentType).toBe("text/html; charset=utf-8");
    const json = JSON.parse((await store.backend.read("runs/night-3/report.json"))!.text) as ReportData;
    expect(json.totals.failed).toBe(1);
    store.close();
    s3.destroy();
  });
});

/** A retry of night `day`: rows 3, 5, 6 again in one partition; 3 and 6 now ok, 5 times out again. */
function retryOf(day: number, runId: string, retryOfId?: string) {
  const first = night(day);
  const rows = first.manifest.partitions.flatMap((p) => p.rows).filter((r) => [3, 5, 6].includes(r.row));
  const result = first.results[0]!.repos[0]!;
  const entry = (row: number, outcome: ResultEntry["outcome"]): ResultEntry => ({
    ...result,
    key: rows.find((r) => r.row === row)!.key,
    row,
    cloneUrl: `${rows.find((r) => r.row === row)!.key}.git`,
    outcome,
    finishedAt: at(day, 30 + row),
  });
  const manifest: RunManifest = {
    ...first.manifest,
    runId,
    ...(retryOfId ? { retryOf: retryOfId } : {}),
    createdAt: at(day, 30),
    partitions: [{ partition: 1, predictedMs: 5 * 60_000, rows }],
  };
  const results: PartitionResult[] = [
    {
      runId,
      partition: 1,
      updatedAt: at(day, 37),
      attempts: [at(day, 31)],
      repos: [entry(3, "ok"), entry(5, "timed-out"), entry(6, "ok")],
    },
  ];
  return { manifest, results };
}

describe("writeRunReport after a retry: the night as a whole", () => {
  for (const [how, retryId, link] of [
    ["named as retry names it", "night-3-retry-20261123T013000Z", undefined],
    ["linked by its manifest's retryOf", "second-go", "night-3"],
  ] as const) {
    it(`latest is the first run plus its retry (${how}), each repository's latest outcome, both runs' partitions`, async () => {
      const store = openStateStore(path.join(await tmp(), "state"));
      await threeNights(store);
      const retry = retryOf(3, retryId, link);
      await store.writeManifest(retry.manifest);
      for (const r of retry.results) await store.writeResult(r);
      const out = await writeRunReport(store, "latest");
      expect(out.runId).toBe(retryId);
      expect(out.data.run.runId).toBe("night-3");
      expect(out.data.run.retries).toEqual([{ runId: retryId, startedAt: at(3, 30) }]);
      // Rows 1, 2, 4 ok in the first run, 3 and 6 ok in the retry, 5 timed out twice; 7, 8 unchanged.
      expect(publishedTotals(out.data.totals)).toEqual({ repos: 8, ok: 5, failed: 0, timeout: 1, unchanged: 2, notReached: 0 });
      expect(out.data.partitions.map((p) => [p.runId, p.attempt, p.partition, p.failed])).toEqual([
        ["night-3", 0, 1, 1],
        ["night-3", 0, 2, 1],
        [retryId, 1, 1, 1],
      ]);
      expect(out.data.trends.map((t) => t.runId)).toEqual(["night-1", "night-2", "night-3"]);
      const html = await readFile(out.html, "utf8");
      expect(html).toContain(`with its retry ${retryId}`);
      expect(html).toContain(">retry 1 · p1<");
      // The first run by its own id is the same night.
      expect((await writeRunReport(store, "night-3", { store: false, dir: await tmp() })).data.run.retries).toHaveLength(1);
      store.close();
    });
  }
});
