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
});
