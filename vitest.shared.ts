// Shared vitest settings: workspace libraries resolve to their source entry points, so tests of one
// package never wait on another package's build. Published builds are checked by the consumer test.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export const workspaceAlias = {
  "@mass-ingest/partition": `${root}packages/partition/src/index.ts`,
  "@mass-ingest/pipeline": `${root}packages/pipeline/src/index.ts`,
  "@mass-ingest/batch": `${root}packages/batch/src/index.ts`,
};

export function config(options: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { alias: workspaceAlias },
    test: {
      include: ["test/**/*.test.ts"],
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      // 2-core machines: files run in parallel forks, two at a time.
      pool: "forks",
      maxWorkers: 2,
    },
  });
}
