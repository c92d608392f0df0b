// The single-host path end to end: `mass-ingest-chunker submit --executor local` runs the REAL processor once per
// partition (same command line as the Batch job definition), against the loopback git server and the Moderne CLI
// stand-in. No AWS involved.
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { runProcess } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const processorMain = fileURLToPath(new URL("../../processor/src/main.ts", import.meta.url));

let git: GitServer;
let mod: ModStandIn;
let dir: string;
let csv: string;
let urls: string[];

beforeAll(async () => {
  git = await startGitServer();
  mod = createModStandIn();
  dir = await mkdtemp(join(tmpdir(), "chunker-local-"));
  urls = [];
  for (let i = 1; i <= 5; i++) {
    // Row 4 names a repository the server does not have: its partition fails, the others must not.
    if (i !== 4) await git.createRepo(`team/app-${i}`, { files: { "pom.xml": `<project>${i}</project>\n` } });
    urls.push(git.httpUrl(`team/app-${i}`));
  }
  csv = join(dir, "repos.csv");
  await writeFile(csv, ["cloneUrl,branch", ...urls.map((u) => `${u},main`)].join("\n") + "\n");
});

afterAll(async () => {
  await git?.stop();
  mod?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function report(dataDir: string, index: string): Promise<{ repos: { row: number; cloneUrl: string; status: string }[] }> {
  const base = join(dataDir, "logs", index);
  const [ts] = await readdir(base);
  const name = (await readdir(join(base, ts!))).find((f) => f.startsWith("ingest-report-"));
  return JSON.parse(await readFile(join(base, ts!, name!), "utf8"));
}

describe("submit --executor local with the real processor", () => {
  it("runs every partition, reports the one that failed, and each processor did exactly its rows", async () => {
    const dataDir = join(dir, "data");
    const r = await runProcess(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/main.ts",
        "submit",
        csv,
        "--executor",
        "local",
        "--no-state",
        "--partition-size",
        "2",
        "--parallel",
        "2",
        "--run-id",
        "local-1",
        "--json",
        "--processor",
        `${process.execPath} --import tsx ${processorMain}`,
      ],
      { cwd: appDir, env: { ...process.env, ...mod.env, MOD_CLI: mod.command, DATA_DIR: dataDir, PUBLISH_URL: undefined } },
    );
    expect(r.code, r.stderr).toBe(1);
    const summary = JSON.parse(r.stdout) as {
      succeeded: number;
      failed: number;
      failedPartitions: { partition: number; start: number; end: number; exitCode: number }[];
    };
    expect(summary).toMatchObject({ succeeded: 2, failed: 1 });
    expect(summary.failedPartitions).toEqual([expect.objectContaining({ partition: 2, start: 3, end: 4, exitCode: 1 })]);

    const first = await report(dataDir, "1-2");
    expect(first.repos.map((x) => [x.row, x.cloneUrl, x.status])).toEqual([
      [1, urls[0], "ok"],
      [2, urls[1], "ok"],
    ]);
    const second = await report(dataDir, "3-4");
    expect(second.repos.map((x) => [x.row, x.status])).toEqual([
      [3, "ok"],
      [4, "failed"],
    ]);
    const third = await report(dataDir, "5-5");
    expect(third.repos.map((x) => [x.row, x.cloneUrl, x.status])).toEqual([[5, urls[4], "ok"]]);
  });
});
