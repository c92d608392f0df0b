import { describe, expect, test } from "vitest";
import { DEFAULT_PREDICTED_MS } from "../src/constants.js";
import { emptyState } from "../src/parse.js";
import { predictDurations } from "../src/predict.js";
import { entry, state } from "./helpers.js";

describe("predictDurations", () => {
  test("last ok build, else the median of the known ones, else the default", () => {
    const st = state({
      a: entry({ lastOkMs: 100 }),
      b: entry({ lastOkMs: 300 }),
      c: entry({ lastOkMs: 1000 }),
      d: entry({ outcome: "failed", lastOkMs: undefined }),
    });
    expect(
      predictDurations(
        [
          { row: 1, key: "a" },
          { row: 2, key: "d" },
          { row: 3, key: "new" },
        ],
        st,
      ),
    ).toEqual([
      { row: 1, key: "a", predictedMs: 100, source: "last" },
      { row: 2, key: "d", predictedMs: 300, source: "median" },
      { row: 3, key: "new", predictedMs: 300, source: "median" },
    ]);
  });

  test("median of an even count is the mean of the middle two", () => {
    const st = state({ a: entry({ lastOkMs: 100 }), b: entry({ lastOkMs: 300 }) });
    expect(predictDurations([{ row: 1, key: "x" }], st)[0]?.predictedMs).toBe(200);
  });

  test("nothing known: the documented default, or the one given", () => {
    expect(predictDurations([{ row: 1, key: "x" }], emptyState())[0]).toEqual({
      row: 1,
      key: "x",
      predictedMs: DEFAULT_PREDICTED_MS,
      source: "default",
    });
    expect(predictDurations([{ row: 1, key: "x" }], emptyState(), { defaultMs: 42 })[0]?.predictedMs).toBe(42);
  });
});
