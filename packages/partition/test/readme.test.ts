import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

// Every ```ts example of the README runs, against the source and the repository's example repos.csv.
const pkg = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(`${pkg}README.md`, "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });

  it.each(blocks.map((code, i) => [i + 1, code]))("example %i runs", (i, code) => {
    const file = tmp.file(
      `example-${i}.mts`,
      String(code)
        .replaceAll('"@mass-ingest/partition"', JSON.stringify(`${pkg}src/index.ts`))
        .replaceAll('"repos.csv"', JSON.stringify(`${pkg}../../repos.csv`)),
    );
    const r = spawnSync(process.execPath, ["--import", "tsx", file], { cwd: pkg, encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
