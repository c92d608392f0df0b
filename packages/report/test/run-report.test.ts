import { readFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@mass-ingest/core/aws";
import { exitCodeOf } from "@mass-ingest/core";
import { openStateStore, StateError, type StateStore } from "@mass-ingest/state";
import { startMoto, type Moto } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportError, writeRunReport, type ReportData } from "../src/index.js";
import { night, storeNight } from "./state-fixture.js";

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
