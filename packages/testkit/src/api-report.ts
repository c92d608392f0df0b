/**
 * The type API of a published package, as an API Extractor report (`api/<name>.api.md`, committed beside the
 * package): every exported name with its type signature, so that a change to the published types is a visible
 * diff in review. The api tests compare the report generated from the built `dist/*.d.ts` with the committed one;
 * `UPDATE_API_REPORTS=1` rewrites the committed report instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Extractor, ExtractorConfig, ExtractorLogLevel } from "@microsoft/api-extractor";

/** One report: the committed text (undefined when there is none yet) and the text generated from `dist`. */
export interface ApiReport {
  /** The committed report's path. */
  file: string;
  committed: string | undefined;
  generated: string;
  /** True when UPDATE_API_REPORTS=1 rewrote the committed report. */
  updated: boolean;
}

const COMPILER = { lib: ["es2023"], types: ["node"], module: "esnext", moduleResolution: "bundler", target: "es2022", skipLibCheck: true };

/**
 * Generates the report of `packageDir`'s entry point `dist/<entry>.d.ts` (a subpath export such as `aws` gets
 * `api/<name>-aws.api.md`) and compares it with the committed one.
 */
export function apiReport(packageDir: string, entry = "index", env: NodeJS.ProcessEnv = process.env): ApiReport {
  const name = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { name: string }).name.replace(/^@[^/]+\//, "");
  const reportFileName = entry === "index" ? `${name}.api.md` : `${name}-${entry}.api.md`;
  const file = join(packageDir, "api", reportFileName);
  const temp = mkdtempSync(join(tmpdir(), "api-report-"));
  try {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: packageDir,
        mainEntryPointFilePath: join(packageDir, "dist", `${entry}.d.ts`),
        compiler: { overrideTsconfig: { compilerOptions: COMPILER, include: [join(packageDir, "dist", "*.d.ts")] } },
        apiReport: { enabled: true, reportFileName, reportFolder: join(temp, "report"), reportTempFolder: join(temp, "work") },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
          extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        },
      },
      configObjectFullPath: join(packageDir, "api-extractor.json"),
      packageJsonFullPath: join(packageDir, "package.json"),
    });
    mkdirSync(join(temp, "report"), { recursive: true });
    const result = Extractor.invoke(config, { localBuild: true, messageCallback: (m) => void (m.handled = true) });
    if (result.errorCount > 0) throw new Error(`API Extractor found ${result.errorCount} error(s) in ${packageDir}/dist/${entry}.d.ts`);
    const generated = readFileSync(join(temp, "report", reportFileName), "utf8");
    const committed = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    const update = env.UPDATE_API_REPORTS === "1" && committed !== generated;
    if (update) {
      mkdirSync(join(packageDir, "api"), { recursive: true });
      writeFileSync(file, generated);
    }
    return { file, committed: update ? generated : committed, generated, updated: update };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
