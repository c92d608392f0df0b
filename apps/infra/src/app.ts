import { App } from "cdktf";
import type { LoadedConfig } from "./config/load.js";
import { MassIngestStack } from "./stack.js";

/** Adds one `MassIngestStack` per environment of `config` to `app` (stack id = environment name). */
export function addStacks(app: App, config: LoadedConfig): MassIngestStack[] {
  return config.environments.map((env) => new MassIngestStack(app, env.id, env.config));
}

/** A cdktf App with every configured environment; `outdir` defaults to what the cdktf CLI asks for. */
export function buildApp(config: LoadedConfig, options: { outdir?: string } = {}): { app: App; stacks: MassIngestStack[] } {
  const app = new App(options.outdir === undefined ? {} : { outdir: options.outdir });
  const stacks = addStacks(app, config);
  return { app, stacks };
}
