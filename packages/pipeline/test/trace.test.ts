import { mkdir, utimes, writeFile, copyFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTrace, stageOutcome } from "../src/index.js";
import { mergeTrace, newTraceFile, traceIds, traceRowOf } from "../src/cli/trace.js";
import { tmp } from "./helpers.js";

const fixture = fileURLToPath(new URL("./fixtures/build-trace.csv", import.meta.url));

describe("trace.csv", () => {
  it("is read by column name; each repository's outcome is its stage's *Outcome", async () => {
    const rows = await readTrace(fixture);
    expect(rows).toHaveLength(3);
    const alpha = traceRowOf(rows, { origin: "github.com", path: "acme/alpha", branch: "main" }, 3)!;
    const broken = traceRowOf(rows, { origin: "github.com", path: "acme/broken.git" }, 3)!;
    const canceled = traceRowOf(rows, { origin: "github.com", path: "acme/canceled" }, 3)!;
    expect([stageOutcome(alpha, "build"), stageOutcome(broken, "build"), stageOutcome(canceled, "build")]).toEqual([
      "ok",
      "failed",
      "skipped",
    ]);
    expect(stageOutcome(alpha, "sync")).toBe("ok");
    expect(stageOutcome({ publishOutcome: "" }, "publish")).toBe("failed");
    expect(traceRowOf(rows, { origin: "github.com", path: "acme/other" }, 3)).toBeUndefined();
  });

  it("keeps changeset, CLI version, times, build tools and counts", async () => {
    const rows = await readTrace(fixture);
    const alpha = traceRowOf(rows, { path: "acme/alpha" }, 3)!;
    const synced = mergeTrace(undefined, alpha, "sync");
    const built = mergeTrace(synced, alpha, "build");
    expect(built).toEqual({
      outcomes: { sync: "Succeeded", build: "Succeeded" },
      changeset: "aaaa111",
      cliVersion: "4.6.3",
      elapsedMs: { sync: 2000, build: 60000, dependencyResolution: 1500 },
      buildTools: { maven: "3.9.9" },
      sourceFiles: 120,
      lines: 4000,
      parseErrors: 2,
      buildId: "b-1",
    });
    const broken = mergeTrace(undefined, traceRowOf(rows, { path: "acme/broken" }, 3)!, "build");
    expect(broken).toMatchObject({ outcomes: { build: "Failed" }, buildTools: { gradle: "8.10" } });
    expect(broken.sourceFiles).toBeUndefined();
  });

  it("is the newest trace the command wrote (ids present before the call are not it)", async () => {
    const ws = await tmp("trace-ws-");
    const put = async (id: string, when: number) => {
      await mkdir(path.join(ws, ".moderne", "build", id), { recursive: true });
      const file = path.join(ws, ".moderne", "build", id, "trace.csv");
      await copyFile(fixture, file);
      await utimes(file, when, when);
      return file;
    };
    expect(await newTraceFile(ws, "build", new Set())).toBeUndefined();
    await put("old", 1000);
    const before = await traceIds(ws, "build");
    expect(await newTraceFile(ws, "build", before)).toBeUndefined();
    await put("a", 2000);
    const newest = await put("b", 3000);
    await mkdir(path.join(ws, ".moderne", "build", "empty"));
    expect(await newTraceFile(ws, "build", before)).toBe(newest);
    await writeFile(path.join(ws, "x"), "");
  });
});
