// Shared vitest settings: workspace libraries resolve to their source entry points, so tests of one
// package never wait on another package's build. Published builds are checked by the consumer test.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const tsconfig = JSON.parse(readFileSync(`${root}tsconfig.base.json`, "utf8")) as {
  compilerOptions: { paths: Record<string, string[]> };
};

/** The exact (non-wildcard) entries of tsconfig.base.json's `paths`, so tsc, tsx and vitest resolve alike. */
export const workspaceAlias = Object.entries(tsconfig.compilerOptions.paths)
  .filter(([name]) => !name.includes("*"))
  .map(([name, [target]]) => ({ find: new RegExp(`^${name.replace(/[/]/g, "\\/")}$`), replacement: `${root}${target}` }));

export function config(options: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { alias: workspaceAlias },
    test: {
      include: ["test/**/*.test.ts"],
      // The AWS SDK's own switch for its "Node 20 support ends in 2027" warning (the apps set it too); the engines
      // field and the worker image (Node 22) already say what Node we need.
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      testTimeout: options.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      // 2-core machines: files run in parallel forks, two at a time.
      pool: "forks",
      maxWorkers: 2,
    },
  });
}
