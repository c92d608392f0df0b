import { expect, it } from "vitest";
import { BUILD_MEMORY_MIB, deriveBuildConcurrency, maxHeapMiB } from "../src/index.js";

it("one build per 8 GiB, or per 2 x -Xmx when more, at least one", () => {
  expect(BUILD_MEMORY_MIB).toBe(8192);
  expect([512, 8191, 8192, 15_360, 16_384, 30_720, 65_536].map((m) => deriveBuildConcurrency(m, undefined).build)).toEqual([
    1, 1, 1, 1, 2, 3, 8,
  ]);
  expect(deriveBuildConcurrency(65_536, "-Xmx4g -Xss3m").build).toBe(8);
  expect(deriveBuildConcurrency(65_536, "-Xmx8g")).toEqual({ build: 4, perBuildMiB: 16_384, heapMiB: 8192 });
});

it("reads -Xmx in any unit", () => {
  expect(["-Xmx4g", "-Xmx4096m", "-Xmx4G", "-Xmx4294967296", "-Xss3m"].map(maxHeapMiB)).toEqual([4096, 4096, 4096, 4096, undefined]);
});
