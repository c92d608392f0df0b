/**
 * The app entry: `pnpm nx run infra:synth` (and `cdktf synth`, through cdktf.json) run it. Validates the whole
 * config before creating anything: a bad config prints every problem once and exits 2 without synthesizing.
 */
import { MassIngestError, exitCodeOf } from "@mass-ingest/core";
import { buildApp } from "./app.js";
import { loadConfig } from "./config/load.js";

function main(): number {
  try {
    const { app } = buildApp(loadConfig());
    app.synth();
    return 0;
  } catch (error) {
    if (error instanceof MassIngestError)
      process.stderr.write(`mass-ingest infra: ${error.message}\n${error.hint === undefined ? "" : `hint: ${error.hint}\n`}`);
    else process.stderr.write(`mass-ingest infra: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodeOf(error);
  }
}

process.exitCode = main();
