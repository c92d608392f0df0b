/**
 * The cdktf app entry (`cdktf synth` / `cdktf deploy` run it through cdktf.json). Validates the whole config
 * before creating anything: a bad config prints every problem and exits 2 without synthesizing.
 */
import { buildApp } from "./app.js";
import { loadConfig } from "./config/load.js";
import { InfraError } from "./errors.js";

function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof InfraError) {
      process.stderr.write(`mass-ingest infra: ${error.message}\nhint: ${error.hint}\n`);
      process.exit(2);
    }
    throw error;
  }
  const { app } = buildApp(config);
  app.synth();
}

main();
