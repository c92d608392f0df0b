import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { RepoResult } from "@mass-ingest/pipeline";
import { barReporter, formatEta, type ProgressStream } from "../src/progress.js";

/** A terminal-like stream that keeps what the bar draws, escape sequences removed. */
function terminal(): { stream: ProgressStream; text: () => string } {
  let out = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  }) as unknown as ProgressStream;
  Object.assign(stream, { isTTY: true, columns: 400 });
  // eslint-disable-next-line no-control-regex
  return { stream, text: () => out.replace(/\x1B(?:\[[0-9;?]*[A-Za-z]|[78])/g, "") };
}

const result = (row: number, status: RepoResult["status"], extra: Partial<RepoResult> = {}): RepoResult => ({
  row,
  group: `row-${row}`,
  status,
  steps: [],
  durationsMs: {},
  exitCodes: {},
  logs: {},
  ...extra,
});

describe("progress bar", () => {
  it("shows no estimate before a repository finished (never NFs)", () => {
    expect(formatEta(undefined)).toBe("-");
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe("-");
    expect(formatEta(125)).toBe("2m05s");
    const { stream, text } = terminal();
    barReporter(7, stream).stop();
    expect(text()).toContain("0/7");
    expect(text()).toContain("ETA -");
    expect(text()).not.toMatch(/NF|NaN|Infinity/);
  });

  it("counts like the summary (skipped rows are not failed) and names skipped rows by clone URL", () => {
    const { stream, text } = terminal();
    const bar = barReporter(7, stream);
    for (const row of [1, 2, 3, 4])
      bar.onEvent({ type: "repo-done", result: result(row, "ok", { path: `org/r${row}`, cloneUrl: `https://h/org/r${row}.git` }) });
    bar.onEvent({
      type: "repo-done",
      result: result(5, "failed", { path: "org/r5", cloneUrl: "https://h/org/r5.git", failedStep: "build" }),
    });
    bar.onEvent({ type: "repo-done", result: result(6, "skipped", { reason: "invalid row: no cloneUrl" }) });
    bar.onEvent({ type: "repo-done", result: result(7, "skipped", { cloneUrl: "ftp://h/org/r7.git", reason: "invalid row" }) });
    bar.stop();
    expect(text()).toContain("7/7 | ok 4 | failed 1 | timed out 0 | skipped 2 | not started 0");
    expect(text()).toContain("row 5 org/r5: failed at build");
    expect(text()).toContain("row 6 (no clone URL): skipped");
    expect(text()).toContain("row 7 ftp://h/org/r7.git: skipped");
  });
});
