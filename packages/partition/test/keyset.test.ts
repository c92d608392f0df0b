import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FirstRowIndex } from "../src/keyset.js";

describe("FirstRowIndex", () => {
  it("behaves like a Map of first rows (property, including growth and non-ASCII keys)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", "b", "/", "é", "\u0000", "😀"), maxLength: 6 }), { maxLength: 3000 }),
        (keys) => {
          const index = new FirstRowIndex();
          const map = new Map<string, number>();
          keys.forEach((k, i) => {
            const row = i + 1;
            const expected = map.get(k) ?? 0;
            if (expected === 0) map.set(k, row);
            expect(index.firstRow(k, row)).toBe(expected);
          });
          expect(index.size).toBe(map.size);
          for (const [k, row] of map) expect(index.get(k)).toBe(row);
          expect(index.get("never inserted key")).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("holds 200,000 distinct keys", () => {
    const index = new FirstRowIndex();
    for (let i = 1; i <= 200_000; i++) expect(index.firstRow(`https://github.com/org/repo-${i}\u0000main`, i)).toBe(0);
    expect(index.firstRow("https://github.com/org/repo-123456\u0000main", 1)).toBe(123_456);
    expect(index.size).toBe(200_000);
  });
});
