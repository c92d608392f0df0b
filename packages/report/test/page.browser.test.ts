import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "../src/index.js";
import { haveChromium, launchChromium } from "@mass-ingest/testkit";
import { sampleRun } from "./fixture.js";

// A person's look at the page, in a real browser with JavaScript off. CI installs chromium (scripts/setup.sh).
describe.runIf(haveChromium || process.env.CI)("the report in Chromium", () => {
  let dir: string;
  let url: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "report-browser-"));
    url = pathToFileURL((await writeReport(dir, sampleRun())).html).href;
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(width: number) {
    const context = await chromium.browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 900 } });
    const page = await context.newPage();
    const failedRequests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) failedRequests.push(r.url());
    });
    await page.goto(url);
    return { page, context, failedRequests };
  }

  it("shows the run's totals, every failed repository with its log, and charts with data", async () => {
    const { page, context, failedRequests } = await open(1100);
    const total = async (label: string) => page.locator(`[data-total="${label}"]`).textContent();
    expect([
      await total("built ok"),
      await total("failed"),
      await total("timed out"),
      await total("unchanged"),
      await total("not started"),
    ]).toEqual(["5", "2", "1", "2", "1"]);
    const failedRows = await page.locator("tr.failed-repo").allTextContents();
    expect(failedRows).toHaveLength(3);
    for (const row of [3, 5, 6])
      expect(failedRows.some((t) => t.includes(`acme/repo-${row}`) && t.includes(`/data/run/logs/acme/repo-${row}/build.log`))).toBe(true);
    const charts = page.locator("figure.chart svg");
    expect(await charts.count()).toBe(4);
    for (let i = 0; i < 4; i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(await charts.nth(i).locator("path").count()).toBeGreaterThan(3);
    }
    expect(failedRequests).toEqual([]);
    await page.screenshot({ path: path.join(dir, "report.png"), fullPage: true });
    if (process.env.REPORT_SCREENSHOT) await page.screenshot({ path: process.env.REPORT_SCREENSHOT, fullPage: true });
    await context.close();
  });

  it("nothing overflows at 800 px (and the page still reads at 400 px)", async () => {
    for (const width of [800, 400]) {
      const { page, context } = await open(width);
      const scrollWidth = await page.evaluate("document.documentElement.scrollWidth");
      expect(scrollWidth).toBeLessThanOrEqual(width);
      await context.close();
    }
  });
});
