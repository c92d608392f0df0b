import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runPipeline, type ModCli, type ModRunOptions, type ModRunResult } from "../src/index.js";
import { rowsFor, tmp } from "./helpers.js";

const HEADER = "origin,path,branch,syncOutcome,syncChangeset,buildOutcome,buildCliVersion,buildSourceFileCount,publishOutcome";

/**
 * A CLI whose sync/build/publish write `<ws>/.moderne/<command>/<id>/trace.csv` (one row per repository of the
 * group's csv) and exit with `exitCode` whatever the outcomes; `failBuild` repositories fail their build.
 */
class TracingCli implements ModCli {
  readonly calls: { args: string[]; env?: Record<string, string> }[] = [];
  #n = 0;
  constructor(
    readonly options: { failBuild: string[]; exitCode: number; noTrace?: boolean; publishExitCode?: number },
    readonly paths = new Map<string, string[]>(),
  ) {}

  async run(args: readonly string[], options: ModRunOptions = {}): Promise<ModRunResult> {
    this.calls.push({ args: [...args], ...(options.env ? { env: options.env } : {}) });
    const base = { timedOut: false, aborted: false, durationMs: 1, commandLine: `mod ${args.join(" ")}`, outputTail: "" };
    const stage = args[0] === "git" ? "sync" : args[0] === "build" || args[0] === "publish" ? args[0] : undefined;
    if (!stage) return { ...base, exitCode: 0 };
    const ws = stage === "sync" ? args[3]! : args[1]!;
    if (stage === "sync") {
      const csv = (await import("node:fs")).readFileSync(args[4]!, "utf8").trim().split("\n").slice(1);
      this.paths.set(
        ws,
        csv.map((line) => new URL(line.split(",")[0]!).pathname.replace(/^\/|\.git$/g, "")),
      );
    }
    const repos = this.paths.get(ws) ?? [];
    if (!this.options.noTrace) {
      const dir = path.join(ws, ".moderne", stage, `${stage}-${++this.#n}`);
      await mkdir(dir, { recursive: true });
      const lines = repos.map((p) => {
        const failed = this.options.failBuild.some((f) => p.includes(f));
        const build = stage === "sync" ? "" : failed ? "Failed" : "Succeeded";
        const publish = stage !== "publish" ? "" : failed ? "Skipped" : "Succeeded";
        return `example.com,${p},main,Succeeded,c0ffee${p.length},${build},4.6.3,${failed ? "" : "7"},${publish}`;
      });
      await writeFile(path.join(dir, "trace.csv"), [HEADER, ...lines].join("\n") + "\n");
    }
    const failing = stage === "build" && repos.some((p) => this.options.failBuild.some((f) => p.includes(f)));
    const code = stage === "publish" ? (this.options.publishExitCode ?? 0) : failing ? this.options.exitCode : 0;
    return { ...base, exitCode: code };
  }
}

async function run(cli: TracingCli, batchSize: number) {
  const repos = await rowsFor(["r0", "r1", "broken", "r3", "r4", "r5"].map((n) => `https://example.com/acme/${n}.git`));
  const dataDir = await tmp("group-trace-");
  return runPipeline({ repos, cli, dataDir, index: "all", batchSize, publish: true, store: "maven", publishEnv: { MOD_X: "y" } });
}

describe("per-repository outcomes from trace.csv", () => {
  for (const exitCode of [0, 1]) {
    it(`a group with one failed build publishes the others, reported ok (build exits ${exitCode})`, async () => {
      const cli = new TracingCli({ failBuild: ["broken"], exitCode });
      const { report } = await run(cli, 3);
      const byPath = new Map(report.repos.map((r) => [r.path, r]));
      expect(report.totals).toMatchObject({ repos: 6, ok: 5, failed: 1 });
      expect(byPath.get("acme/broken")).toMatchObject({ status: "failed", failedStep: "build" });
      expect(byPath.get("acme/broken")!.reason).toContain("buildOutcome Failed");
      expect(byPath.get("acme/r1")).toMatchObject({ status: "ok", trace: { cliVersion: "4.6.3", sourceFiles: 7 } });
      expect(byPath.get("acme/r1")!.trace!.outcomes).toEqual({ sync: "Succeeded", build: "Succeeded", publish: "Succeeded" });
      const publishes = cli.calls.filter((c) => c.args[0] === "publish");
      expect(publishes).toHaveLength(2);
      expect(publishes.every((c) => c.env?.MOD_X === "y")).toBe(true);
      expect(cli.calls.filter((c) => c.args[0] === "build").every((c) => c.env === undefined && !c.args.includes("--no-download"))).toBe(
        true,
      );
    });
  }

  it("a repository the trace says failed is failed even when the command exits 0", async () => {
    const { report } = await run(new TracingCli({ failBuild: ["r4"], exitCode: 0 }), 1);
    expect(report.repos.filter((r) => r.status !== "ok").map((r) => r.path)).toEqual(["acme/r4"]);
  });

  it("without a trace the exit code decides, for the whole group", async () => {
    const { report } = await run(new TracingCli({ failBuild: ["broken"], exitCode: 1, noTrace: true }), 3);
    expect(report.repos.filter((r) => r.status === "failed").map((r) => r.path)).toEqual(["acme/r0", "acme/r1", "acme/broken"]);
    expect(report.totals.ok).toBe(3);
  });

  it("a publish that exits 1 while its trace says every repository succeeded leaves them ok", async () => {
    const cli = new TracingCli({ failBuild: [], exitCode: 0, publishExitCode: 1 });
    const { report } = await run(cli, 3);
    expect(report.totals.ok).toBe(6);
  });
});
