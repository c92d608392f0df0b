import { describe, expect, test } from "vitest";
import { StateError } from "../src/errors.js";
import { emptyState, parseResult, parseState, serializeResult, serializeState } from "../src/parse.js";
import { entry, result, resultEntry, state } from "./helpers.js";

const where = "/data/state/state.json";

function thrown(fn: () => unknown): StateError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StateError) return error;
    throw error;
  }
  throw new Error("did not throw");
}

describe("state file", () => {
  test("round trip", () => {
    const st = { ...state({ k: entry() }), pendingRuns: ["r1"] };
    expect(parseState(serializeState(st), where)).toEqual(st);
    expect(parseState(serializeState(emptyState()), where)).toEqual(emptyState());
  });

  test.each([
    ["not JSON", "{ truncated", "STATE_CORRUPT", /not valid JSON/],
    ["foreign JSON", JSON.stringify({ name: "some other tool" }), "STATE_FOREIGN", /not a mass-ingest\/state record/],
    ["a newer version", JSON.stringify({ kind: "mass-ingest/state", version: 2 }), "STATE_VERSION", /version 2/],
    ["a bad shape", JSON.stringify({ kind: "mass-ingest/state", version: 1, updatedAt: "x", repos: [] }), "STATE_CORRUPT", /repos/],
  ])("%s: a StateError naming the file and the way out, exit code 2", (_what, text, code, message) => {
    const error = thrown(() => parseState(text, where));
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(where);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/--full/);
    expect(error.hint).toContain(`move ${where} aside`);
  });

  test("one bad entry costs only that repository, and survives a write", () => {
    const text = JSON.stringify({
      kind: "mass-ingest/state",
      version: 1,
      updatedAt: "t",
      repos: { good: entry(), bad: { outcome: "maybe" } },
    });
    const st = parseState(text, where);
    expect(Object.keys(st.repos)).toEqual(["good"]);
    expect(st.unreadable).toEqual({ bad: { outcome: "maybe" } });
    expect(parseState(serializeState(st), where).unreadable).toEqual(st.unreadable);
  });
});

describe("result record", () => {
  const rec = result("r1", 3, [resultEntry("k1", 1), resultEntry("k2", 2)]);

  test("round trip", () => {
    expect(parseResult(serializeResult(rec), "p3.json")).toEqual(rec);
  });

  test("keeps what the CLI's trace.csv said (optional trace)", () => {
    const trace = {
      outcomes: { build: "Succeeded", publish: "Succeeded" },
      changeset: "abc1234",
      cliVersion: "4.6.3",
      elapsedMs: { build: 60000, dependencyResolution: 1500 },
      buildTools: { maven: "3.9.9" },
      sourceFiles: 120,
      parseErrors: 2,
    };
    const withTrace = result("r1", 3, [{ ...resultEntry("k1", 1), trace }]);
    expect(parseResult(serializeResult(withTrace), "p3.json").repos[0]?.trace).toEqual(trace);
  });

  test("cut mid-write: a StateError (the store turns it into a warning)", () => {
    const text = serializeResult(rec);
    expect(() => parseResult(text.slice(0, text.length / 2), "p3.json")).toThrow(StateError);
  });

  test("a bad entry is left out with a warning; the others count", () => {
    const text = JSON.stringify({
      kind: "mass-ingest/partition-result",
      version: 1,
      runId: "r1",
      partition: 3,
      updatedAt: "t",
      repos: [resultEntry("k1", 1), { key: "k2" }],
    });
    const warnings: string[] = [];
    expect(parseResult(text, "p3.json", (w) => warnings.push(w)).repos.map((e) => e.key)).toEqual(["k1"]);
    expect(warnings).toEqual([expect.stringMatching(/p3\.json: entry 2 is not a valid result/)]);
  });

  test("timed-out is written as the published `timeout`, and records of either spelling read as timed-out", () => {
    const timedOut = result("r1", 3, [resultEntry("k1", 1, { outcome: "timed-out", step: "build", repository: "org/repo" })]);
    const text = serializeResult(timedOut);
    expect(JSON.parse(text).repos[0]).toMatchObject({ outcome: "timeout", step: "build", repository: "org/repo" });
    expect(parseResult(text, "p3.json")).toEqual(timedOut);
    const written = (outcome: string) =>
      JSON.stringify({
        kind: "mass-ingest/partition-result",
        version: 1,
        runId: "r1",
        partition: 3,
        updatedAt: "t",
        repos: [{ ...resultEntry("k1", 1), outcome }],
      });
    expect(parseResult(written("timeout"), "p3.json").repos[0]?.outcome).toBe("timed-out");
    expect(parseResult(written("timed-out"), "p3.json").repos[0]?.outcome).toBe("timed-out");
  });

  test("a record written before steps and paths were recorded reads without them", () => {
    const old = { ...resultEntry("k1", 1, { outcome: "failed" }) } as Record<string, unknown>;
    delete old.step;
    delete old.repository;
    const text = JSON.stringify({
      kind: "mass-ingest/partition-result",
      version: 1,
      runId: "r1",
      partition: 3,
      updatedAt: "t",
      repos: [old],
    });
    const [entry] = parseResult(text, "p3.json").repos;
    expect(entry).toMatchObject({ key: "k1", outcome: "failed" });
    expect(entry).not.toHaveProperty("step");
  });
});

describe("state file outcome spelling", () => {
  test("a timed-out entry is written as `timeout` and read back as timed-out", () => {
    const st = state({ k: entry({ outcome: "timed-out" }) });
    const text = serializeState(st);
    expect(JSON.parse(text).repos.k.outcome).toBe("timeout");
    expect(parseState(text, "state.json").repos.k?.outcome).toBe("timed-out");
  });
});
