/**
 * Each published package's type API against its committed API Extractor report (`packages/<name>/api/*.api.md`):
 * a change to an exported type, not only to the runtime names the api tests list, shows up as a diff of the report
 * in review. After a deliberate change: `UPDATE_API_REPORTS=1 npx vitest run test/api-reports.test.ts` here, and
 * commit the reports.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { apiReport } from "@mass-ingest/testkit/api-report";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const PUBLISHED = ["batch", "contract", "core", "doctor", "partition", "pipeline", "report", "state"];

/** The entry points of a package: `index`, plus one per subpath export with types (`./aws` -> `aws`). */
function entries(dir: string): string[] {
  const exports = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports: Record<string, unknown> }).exports;
  return Object.keys(exports)
    .filter((key) => key !== "./package.json")
    .map((key) => (key === "." ? "index" : key.replace(/^\.\//, "")));
}

describe("API reports of the published packages", () => {
  for (const name of PUBLISHED) {
    const dir = join(root, "packages", name);
    for (const entry of entries(dir)) {
      it(`@mass-ingest/${name}${entry === "index" ? "" : `/${entry}`} matches its committed report`, () => {
        const report = apiReport(dir, entry);
        expect(report.committed, `${report.file} is missing: run with UPDATE_API_REPORTS=1 and commit it`).toBeDefined();
        expect(report.generated, `the type API changed: run with UPDATE_API_REPORTS=1 and commit ${report.file}`).toBe(report.committed);
      }, 180_000);
    }
  }
});
