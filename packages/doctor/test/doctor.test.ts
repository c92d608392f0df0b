import { rename } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { CHECK_IDS, formatReport, formatReportJson, runDoctor } from "../src/index.js";
import { summarize } from "../src/doctor.js";
import { cleanupDirs, tempDir, writeCsv } from "./helpers.js";

afterAll(cleanupDirs);

describe("runDoctor", () => {
  it("runs the chosen checks in output order and redacts secret values in every line", async () => {
    const dir = await tempDir();
    const secret = "s3cr3t-token-value";
    // The token is also the csv's file name, so it shows up in the csv check's detail unless redacted.
    const csv = await writeCsv(dir, ["https://example.invalid/a/b.git,main,"]);
    const named = csv.replace(/repos-[^/]+\.csv$/, `${secret}.csv`);
    await rename(csv, named);
    const report = await runDoctor({ csv: named, env: { PUBLISH_TOKEN: secret }, dataDir: dir }, { only: ["data-dir", "csv", "secrets"] });
    expect(report.checks.map((c) => c.id)).toEqual(["secrets", "csv", "data-dir"]);
    expect(report.checks[1]?.detail).toContain("***.csv");
    expect(JSON.stringify(report)).not.toContain(secret);
    expect(report.exitCode).toBe(0);
  });

  it("exit code 1 when any check failed, counts by status", () => {
    const r = summarize([
      { id: "a", title: "a", status: "pass", detail: "" },
      { id: "b", title: "b", status: "warn", detail: "" },
      { id: "c", title: "c", status: "fail", detail: "" },
      { id: "d", title: "d", status: "skip", detail: "" },
    ]);
    expect(r.counts).toEqual({ pass: 1, warn: 1, fail: 1, skip: 1 });
    expect(r.exitCode).toBe(1);
    expect(summarize([{ id: "a", title: "a", status: "warn", detail: "" }]).exitCode).toBe(0);
  });

  it("lists every check id", () => {
    expect(CHECK_IDS).toEqual([
      "secrets",
      "csv",
      "mod-cli",
      "jdks",
      "git",
      "git-lfs",
      "ssh",
      "disk",
      "memory",
      "git-hosts",
      "artifact-store",
      "state-store",
      "data-dir",
    ]);
  });
});

describe("formatReport", () => {
  const report = summarize([
    { id: "git", title: "git", status: "pass", detail: "git version 2.39.5" },
    { id: "git-hosts", title: "git hosts", status: "fail", detail: "1 of 2 hosts failed", fix: "do this" },
  ]);

  it("prints aligned lines, a fix under a fail, and a summary", () => {
    expect(formatReport(report)).toBe(
      [
        "PASS  git        git version 2.39.5",
        "FAIL  git hosts  1 of 2 hosts failed",
        "                 fix: do this",
        "2 checks: 1 pass, 0 warn, 1 fail, 0 skip",
        "",
      ].join("\n"),
    );
  });

  it("colours only the status word", () => {
    expect(
      formatReport(report, { color: true }).replaceAll("\u001b[32m", "").replaceAll("\u001b[31m", "").replaceAll("\u001b[0m", ""),
    ).toBe(formatReport(report));
  });

  it("prints JSON with checks, counts and the exit code", () => {
    expect(JSON.parse(formatReportJson(report))).toEqual({ checks: report.checks, counts: report.counts, exitCode: 1 });
  });
});
