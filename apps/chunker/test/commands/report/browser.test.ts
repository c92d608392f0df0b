// A person's look at a real run's report: two nights of `submit --executor local` with the REAL processor, the
// loopback git server and the Moderne CLI stand-in (two builds fail, one hangs into BUILD_TIMEOUT; one repository
// gets a new commit between the nights), a `retry latest` of the second night (the failed ones fail again), then
// `report` (the second night as a whole: its first run and the retry), then Debian's chromium (JavaScript off) opens
// the page. CI installs chromium (scripts/setup.sh).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { haveChromium, launchChromium } from "@mass-ingest/testkit";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { runProcess } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appDir = fileURLToPath(new URL("../../..", import.meta.url));
const processorMain = fileURLToPath(new URL("../../../../processor/src/main.ts", import.meta.url));
const NAMES = ["ok-1", "broken-1", "ok-2", "hangs", "ok-3", "broken-2", "ok-4"];
const FAILED = ["broken-1", "broken-2", "hangs"];
const PROCESSOR = `${process.execPath} --import tsx ${processorMain}`;

let git: GitServer;
let mod: ModStandIn;
let dir: string;

const chunker = (args: string[]) =>
  runProcess(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: appDir,
    env: {
      ...process.env,
      ...mod.env,
      MOD_CLI: mod.command,
      DATA_DIR: join(dir, "data"),
      STATE_URL: join(dir, "state"),
      BUILD_TIMEOUT: "3",
      PUBLISH_URL: undefined,
    },
  });

async function night(runId: string) {
  const csv = join(dir, "repos.csv");
  const submit = await chunker([
    "submit",
    csv,
    "--executor",
    "local",
    "--partition-size",
    "3",
    "--parallel",
    "2",
    "--run-id",
    runId,
    "--processor",
    PROCESSOR,
  ]);
  expect(submit.code, submit.stderr).toBe(1);
  // The local executor writes the run's report at the end and prints where.
  const report = join(dir, "state", "runs", runId, "report.html");
  expect(submit.stdout).toContain(`report: ${report}`);
  expect(await readFile(report, "utf8")).toContain(`mass-ingest run ${runId}`);
}

interface Totals {
  ok: number;
  failed: number;
  timeout: number;
  unchanged: number;
  notReached: number;
}

describe.runIf(haveChromium || process.env.CI)("the report of a local run in Chromium", () => {
  let html: string;
  let totals: Totals;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    git = await startGitServer();
    mod = createModStandIn();
    mod.setConfig({ buildMs: 30, failBuild: ["broken"], hangBuild: ["hangs"] });
    dir = await mkdtemp(join(tmpdir(), "chunker-report-browser-"));
    for (const name of NAMES) await git.createRepo(`team/${name}`, { files: { "pom.xml": `<project>${name}</project>\n` } });
    await writeFile(join(dir, "repos.csv"), ["cloneUrl,branch", ...NAMES.map((n) => `${git.httpUrl(`team/${n}`)},main`)].join("\n") + "\n");
    await night("night-1");
    await git.commit("team/ok-2", { "README.md": "changed\n" });
    await night("night-2"); // ok-2 changed: built again with the failed ones; the other ok ones are unchanged
    const retry = await chunker(["retry", "latest", "--executor", "local", "--run-id", "night-2-retry", "--processor", PROCESSOR]);
    expect(retry.code, retry.stderr).toBe(1);
    const report = await chunker(["report", "--out", join(dir, "out"), "--json"]);
    expect(report.code, report.stderr).toBe(0);
    const written = JSON.parse(report.stdout) as { runId: string; html: string; totals: Totals };
    expect(written.runId).toBe("night-2-retry");
    html = written.html;
    totals = written.totals;
    chromium = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await chromium?.close();
    await git?.stop();
    mod?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(width: number, height = 900) {
    const context = await chromium.browser.newContext({ javaScriptEnabled: false, viewport: { width, height } });
    const page = await context.newPage();
    const external: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) external.push(r.url());
    });
    await page.goto(pathToFileURL(html).href);
    return { page, context, external };
  }

  it("the run's totals: the second night rebuilt exactly the changed and the failed ones", () => {
    expect(totals).toMatchObject({ ok: 1, failed: 2, timeout: 1, unchanged: 3, notReached: 0 });
  });

  it("shows the totals, every failed repository with its log link, and the charts with data", async () => {
    const { page, context, external } = await open(1100);
    const total = async (label: string) => Number(await page.locator(`[data-total="${label}"]`).textContent());
    expect([
      await total("built ok"),
      await total("failed"),
      await total("timed out"),
      await total("unchanged"),
      await total("not started"),
    ]).toEqual([totals.ok, totals.failed, totals.timeout, totals.unchanged, totals.notReached]);
    const rows = page.locator("tr.failed-repo");
    expect(await rows.count()).toBe(FAILED.length);
    for (const name of FAILED) {
      const row = rows.filter({ hasText: `team/${name}` });
      expect(await row.count()).toBe(1);
      const href = await row.locator("a.log").getAttribute("href");
      expect(href).toMatch(/^(file|https?):\/\//);
    }
    expect(await page.locator("tr.failed-repo", { hasText: "team/hangs" }).textContent()).toContain("timed-out");
    const charts = page.locator("figure.chart svg");
    expect(await charts.count()).toBe(4);
    for (let i = 0; i < 4; i++) {
      expect((await charts.nth(i).boundingBox())!.width).toBeGreaterThan(300);
      expect(await charts.nth(i).locator("path").count()).toBeGreaterThan(3);
    }
    expect(external).toEqual([]);
    await context.close();
  });

  it("the timeline shows the night: the first run's partitions and the retry's, failed ones in the failed colour, a legend", async () => {
    const { page, context } = await open(1100);
    expect(await page.locator("header .meta").textContent()).toContain("with its retry night-2-retry");
    const timeline = page.locator("section", { has: page.locator("h2", { hasText: "Partitions over time" }) }).locator("svg");
    const texts = await timeline.locator("text").allTextContents();
    expect(texts).toEqual(expect.arrayContaining(["ok", "with failures", "retry: ok", "retry: with failures", "p1", "retry 1 · p1"]));
    // Every partition held a failed repository, in the first run and in the retry: bars in the failed colours.
    expect(await timeline.locator('path[fill="#c62828"]').count()).toBeGreaterThan(1);
    expect(await timeline.locator('path[fill="#8e24aa"]').count()).toBeGreaterThan(1);
    await context.close();
  });

  it("nothing overflows at 800 px; a viewport-high screenshot for the docs", async () => {
    const { page, context } = await open(800, 1000);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(800);
    const shot = await page.screenshot({ type: "png" });
    expect(shot.length).toBeGreaterThan(10_000);
    if (process.env.REPORT_SCREENSHOT) await writeFile(process.env.REPORT_SCREENSHOT, shot);
    await context.close();
    expect(await readFile(html, "utf8")).not.toContain("<script");
  });
});
