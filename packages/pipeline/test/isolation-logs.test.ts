import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import AdmZip from "adm-zip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redactor } from "@mass-ingest/core";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { ExecaModCli, FileLogStore, logKeys, runPipeline } from "../src/index.js";
import { redactZip } from "../src/isolation/redact-zip.js";
import { rowsFor, tmp } from "./helpers.js";

/** A secret the run holds; the repository's name contains it, so the stand-in writes it into its build log. */
const SECRET = "zq7secretvalue42";

let git: GitServer;
let standIn: ModStandIn;
let root: string;

beforeAll(async () => {
  git = await startGitServer();
  standIn = createModStandIn();
  root = await tmp("pipeline-isolation-logs-");
  await git.createRepo(`acme/leak-${SECRET}`);
});
afterAll(async () => {
  standIn?.cleanup();
  await git?.stop();
  await rm(root, { recursive: true, force: true });
});

describe("log zips are redacted before upload", () => {
  it("rewrites each entry (text and binary) and entry names; an untouched zip stays byte for byte", async () => {
    const file = path.join(root, "logs.zip");
    const zip = new AdmZip();
    zip.addFile("a/build.log", Buffer.from(`line 1\ntoken ${SECRET} and "${SECRET}"\n`));
    zip.addFile(`b-${SECRET}/build.log`, Buffer.from("clean\n"));
    zip.addFile("c.bin", Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(SECRET), Buffer.from([0x80])]));
    zip.writeZip(file);
    const redactor = new Redactor([SECRET]);
    expect(await redactZip(file, (s) => redactor.redact(s))).toBe(3);
    const out = new AdmZip(file);
    expect(out.getEntries().map((e) => e.entryName)).toEqual(["a/build.log", "b-***/build.log", "c.bin"]);
    expect(out.readAsText("a/build.log")).toBe('line 1\ntoken *** and "***"\n');
    expect([...out.readFile("c.bin")!]).toEqual([0xff, 0xfe, 0x00, ...Buffer.from("***"), 0x80]);
    const before = await readFile(file);
    expect(await redactZip(file, (s) => redactor.redact(s))).toBe(0);
    expect(await readFile(file)).toEqual(before);
  });

  it("a secret the build wrote into its build.log is not in the uploaded zip", async () => {
    standIn.reset();
    const redactor = new Redactor([SECRET]);
    const dataDir = path.join(root, "run");
    const storeRoot = path.join(root, "store");
    const result = await runPipeline({
      repos: await rowsFor([git.httpUrl(`acme/leak-${SECRET}`)]),
      cli: new ExecaModCli({ command: standIn.command, env: { ...process.env, ...standIn.env }, redactor }),
      dataDir,
      index: "1-1",
      ts: "202601020304",
      logStore: new FileLogStore(storeRoot),
      redactor,
    });
    expect(result.report.repos.map((r) => [r.status, r.reason])).toEqual([["ok", undefined]]);
    const uploaded = new AdmZip(path.join(storeRoot, ...logKeys("maven", "1-1", "202601020304").buildLog.split("/")));
    const logs = uploaded.getEntries().filter((e) => e.entryName.endsWith("build.log"));
    expect(logs.length).toBeGreaterThan(0);
    const text = logs.map((e) => e.getData().toString("utf8")).join("\n");
    expect(text).toContain("***");
    expect(text).not.toContain(SECRET);
    expect(
      uploaded
        .getEntries()
        .map((e) => e.entryName)
        .join("\n"),
    ).not.toContain(SECRET);
  });
});
