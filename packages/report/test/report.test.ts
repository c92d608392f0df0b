import { mkdtemp, readFile, rm } from "node:fs/promises";
import { reportJson } from "../src/published.js";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firstMeaningfulLine } from "../src/first-line.js";
import { buildReportData, renderReportHtml, writeReport } from "../src/index.js";
import { sampleRun } from "./fixture.js";

describe("report data", () => {
  const data = buildReportData(sampleRun());

  it("counts every outcome, the wall time, makespan, vCPU-hours and cost", () => {
    expect(data.totals).toEqual({ repos: 11, ok: 5, failed: 2, timedOut: 1, unchanged: 2, notStarted: 1 });
    expect(data.wallMs).toBe(13 * 60_000);
    expect(data.actualMakespanMs).toBe(12 * 60_000);
    expect(data.vcpuHours).toBe(Math.round(((6 + 12 + 3) / 60) * 4 * 1000) / 1000);
    expect(data.estimatedCost).toBe(Math.round(data.vcpuHours! * 0.05 * 100) / 100);
  });

  it("groups failures by step and first meaningful line, numbers and quoted values aside", () => {
    expect(data.failures.map((g) => [g.step, g.repos.map((r) => r.row)])).toEqual([
      ["build", [3, 5]],
      ["build", [6]],
    ]);
    expect(data.failures[0]!.line).toBe("Failed to execute goal on project repo-3: Could not resolve dependencies for 'x:y:1.2'");
    expect(data.failures[1]!.line).toBe("build timed out");
    expect(data.failures[0]!.repos[0]!.cloneUrl).toBe("https://git.example.com/acme/repo-3.git");
  });

  it("lists the slowest repositories, the build durations and the trends with this run last", () => {
    expect(data.slowest[0]).toMatchObject({ row: 8, totalMs: 8 * 62_000 + 1_000 });
    expect(data.buildDurations).toHaveLength(8);
    expect(data.trends.map((t) => t.runId)).toEqual(["r-1", "r-2", "20261130T010000Z-a1b2"]);
    expect(data.trends[2]).toMatchObject({ built: 8, unchanged: 2, failed: 3 });
  });

  it("firstMeaningfulLine skips noise and prefixes", () => {
    expect(firstMeaningfulLine("\n---\n[INFO] Building\nBUILD FAILURE\n")).toBe("BUILD FAILURE");
    expect(firstMeaningfulLine("\tat x.y(Z.java:1)\nplain words")).toBe("plain words");
    expect(firstMeaningfulLine(undefined)).toBe("(no error text)");
  });
});

describe("the page", () => {
  const html = renderReportHtml(buildReportData(sampleRun()));
  let dir: string | undefined;
  afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

  it("is self-contained: no script, no external resource, credentials masked, names escaped", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe)\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html).not.toContain("s3cret-token");
    expect(html).toContain("acme/&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("has SVG charts with data (timeline bars, histogram bars, trend lines)", () => {
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(4);
    for (const svg of svgs) expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
    expect(svgs[0]).toContain("p2");
    expect((svgs[0]!.match(/<path/g) ?? []).length).toBeGreaterThan(3);
  });

  it("lists every failed repository with its log", () => {
    for (const row of [3, 5, 6]) expect(html).toContain(`<a class="log" href="file:///data/run/logs/acme/repo-${row}/build.log">`);
  });

  it("writes the HTML and the same data as JSON", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "report-"));
    const out = await writeReport(dir, sampleRun());
    expect(path.basename(out.html)).toBe("report-20261130T010000Z-a1b2.html");
    const json = JSON.parse(await readFile(out.json, "utf8")) as { totals: object };
    expect(json).toEqual(JSON.parse(reportJson(out.data)));
    expect(json.totals).toEqual({ repos: 11, ok: 5, failed: 2, timeout: 1, unchanged: 2, notReached: 1 });
    expect(await readFile(out.html, "utf8")).toContain("<!doctype html>");
  });
});

describe("failures by cause and freshness", () => {
  it("groups failures by cause first, the largest cause first; an unrecorded cause is unknown, a timeout timeout", () => {
    const run = sampleRun();
    const repos = run.repos.map((r) => (r.row === 3 ? { ...r, cause: "auth" } : r.row === 5 ? { ...r, cause: "build" } : r));
    const groups = buildReportData({ ...run, repos }).failures;
    expect(groups.map((g) => [g.cause, g.repos.map((r) => r.row)])).toEqual([
      ["auth", [3]],
      ["build", [5]],
      ["timeout", [6]],
    ]);
    const html = renderReportHtml(buildReportData({ ...run, repos }));
    expect(html).toContain("<h2>Failures by cause</h2>");
    expect(html).toContain('<h3 class="cause">auth — 1 repository: acme/repo-3</h3>');
    expect(html).toMatch(/<summary>build: Failed to execute goal/);
  });

  it("heads each cause by what it holds, and shows failures above the slowest repositories", () => {
    const run = sampleRun();
    const repos = run.repos.map((r) =>
      r.outcome === "failed" || r.outcome === "timed-out" || r.row === 1 || r.row === 2
        ? { ...r, outcome: "failed" as const, step: "build" as const, cause: "memory" }
        : r,
    );
    const html = renderReportHtml(buildReportData({ ...run, repos }));
    expect(html).toContain('<h3 class="cause">memory — 5 repositories: acme/repo-1, acme/repo-2, acme/repo-6…</h3>');
    expect(html.indexOf("<h2>Failures by cause</h2>")).toBeGreaterThan(0);
    expect(html.indexOf("<h2>Failures by cause</h2>")).toBeLessThan(html.indexOf("slowest repositories</h2>"));
  });

  it("shows how many LSTs are older than the target and why, oldest first", () => {
    const freshness = {
      targetMs: 86_400_000,
      total: 11,
      outside: 2,
      byReason: { quarantined: 1, failing: 0, "rollout-pending": 0, "over-budget": 1 },
      medianAgeMs: 3_600_000,
      maxAgeMs: 3 * 86_400_000,
      repos: [
        { key: "https://git.example.com/acme/held", ageMs: null, reason: "quarantined", cause: "toolchain" },
        { key: "https://git.example.com/acme/late", ageMs: 3 * 86_400_000, reason: "over-budget" },
      ],
    };
    const data = buildReportData({ ...sampleRun(), freshness });
    expect(data.freshness).toEqual(freshness);
    const html = renderReportHtml(data);
    expect(html).toMatch(
      /<span data-total="outside freshness">2<\/span> of 11 repositories have an LST older than 24 h 00 min: quarantined 1, over budget 1/,
    );
    expect(html.match(/<tr class="stale-repo">/g)).toHaveLength(2);
    expect(html).toMatch(/acme\/held<\/td><td>no LST<\/td><td>quarantined<\/td><td>toolchain/);
    expect(renderReportHtml(buildReportData(sampleRun()))).not.toContain("<h2>Freshness</h2>");
  });
});
