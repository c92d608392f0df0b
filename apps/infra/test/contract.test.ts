/**
 * The job contract (@mass-ingest/contract) walked against what the stack synthesizes and what the apps read:
 * every `Ref::` placeholder is a contract parameter with a default, every environment and secret name of the
 * job definitions is a contract name, and the processor and chunker document every contract name they read.
 * Imports only the contract and the synthesized JSON, so it holds while the apps' files move.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CHUNKER_BIN,
  CHUNKER_ENV,
  CHUNKER_SECRET_ENV_NAMES,
  PROCESSOR_ENV,
  PROCESSOR_PARAMETER_DEFAULTS,
  PROCESSOR_PARAMETERS,
  type EnvVar,
} from "@mass-ingest/contract";
import { describe, expect, it } from "vitest";
import { synthesizeJobDefinitions } from "../src/job-definitions-view.js";
import { FARGATE, FULL } from "./fixtures.js";
import { minimalConfig } from "./helpers.js";

const names = (table: Record<string, EnvVar>): string[] => Object.values(table).map((e) => e.name);
const parameterNames = Object.values(PROCESSOR_PARAMETERS) as string[];
const refs = (command: readonly string[]): string[] =>
  command.flatMap((arg) => [...arg.matchAll(/Ref::([A-Za-z0-9_]+)/g)].map((m) => m[1] as string));

const configs = { minimal: minimalConfig(), full: FULL, fargate: FARGATE };

describe.each(Object.entries(configs))("the synthesized job definitions (%s config) use exactly the contract's names", (_label, config) => {
  const defs = synthesizeJobDefinitions(config);

  it("every Ref:: in the processor and chunk commands is a contract parameter, and every parameter has a default", () => {
    for (const def of [defs.processor, defs.chunk]) {
      const used = refs(def.command);
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) {
        expect(parameterNames).toContain(name);
        expect(Object.keys(def.parameters)).toContain(name);
      }
      for (const name of Object.keys(def.parameters)) expect(parameterNames).toContain(name);
    }
    expect(Object.keys(PROCESSOR_PARAMETER_DEFAULTS).sort()).toEqual(Object.keys(PROCESSOR_PARAMETERS).sort());
    // The processor job definition carries a default for every parameter, so a manual submit needs none.
    expect(Object.keys(defs.processor.parameters).sort()).toEqual([...parameterNames].sort());
  });

  it("every environment and secret name of the processor job definition is in PROCESSOR_ENV", () => {
    const extra = Object.keys(config.processor?.environment ?? {});
    for (const name of [...Object.keys(defs.processor.environment), ...Object.keys(defs.processor.secrets)])
      if (!extra.includes(name)) expect(names(PROCESSOR_ENV)).toContain(name);
    for (const name of Object.keys(defs.processor.secrets)) {
      const entry = Object.values(PROCESSOR_ENV).find((e) => e.name === name);
      expect(entry?.resolvable, `${name} is injected from a secret, so the contract must mark it resolvable`).toBe(true);
    }
  });

  it("every environment name of the chunk and report job definitions is in CHUNKER_ENV; the chunk job's secrets are the chunker's secret names", () => {
    for (const def of [defs.chunk, defs.report])
      for (const name of Object.keys(def?.environment ?? {})) expect(names(CHUNKER_ENV)).toContain(name);
    // CA_CERTS is read by the worker image's entrypoint (PROCESSOR_ENV.caCerts), not by the chunker itself.
    const allowed = [...CHUNKER_SECRET_ENV_NAMES, PROCESSOR_ENV.caCerts.name];
    for (const name of Object.keys(defs.chunk.secrets)) expect(allowed).toContain(name);
    for (const name of Object.keys(defs.report?.secrets ?? {})) expect(name).toBe(PROCESSOR_ENV.caCerts.name);
    const git = [config.git?.credentialsSecretArn, config.git?.sshKeySecretArn].filter((a) => a !== undefined);
    expect(Object.values(defs.chunk.secrets).sort()).toEqual(git.sort());
  });

  it("the report job's command takes the run id as a contract parameter", () => {
    expect(defs.report?.command).toEqual([CHUNKER_BIN, "report", `Ref::${PROCESSOR_PARAMETERS.runId}`]);
    for (const name of refs(defs.report?.command ?? [])) expect(Object.keys(defs.report?.parameters ?? {})).toContain(name);
  });
});

const apps = fileURLToPath(new URL("../..", import.meta.url));

/** What an app tells its users about its settings: its `--help` (run from source) and its README. */
function documentation(app: string): string {
  const help = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts", "--help"], {
    cwd: join(apps, app),
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return `${help.stdout}\n${readFileSync(join(apps, app, "README.md"), "utf8")}`;
}

describe("the apps' settings readers", () => {
  it.each([
    ["processor", PROCESSOR_ENV],
    ["chunker", CHUNKER_ENV],
  ] as const)("the %s documents every environment name of its contract table (in --help or its README)", (app, table) => {
    const text = documentation(app);
    const missing = names(table).filter((name) => !new RegExp(`\\b${name}\\b`).test(text));
    expect(missing, `${app} does not mention these contract names`).toEqual([]);
  });
});
