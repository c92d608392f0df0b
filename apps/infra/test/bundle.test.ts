/**
 * The worker image cannot be built here (no Docker daemon). This test does what its build stage does: takes the
 * build context the way .dockerignore filters it, copies it OUTSIDE the workspace, runs docker/bundle.sh there,
 * deletes the copy, and starts both launchers from the bundle alone, with the commands the job definitions carry.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { substituteCommand } from "@mass-ingest/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesizeJobDefinitions } from "../src/job-definitions-view.js";
import { minimalConfig } from "./helpers.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "mass-ingest-bundle-"));
const out = join(work, "out");
const home = join(work, "home");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** .dockerignore patterns as regular expressions over repository-relative posix paths. */
function dockerignore(): RegExp[] {
  return readFileSync(join(repo, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((pattern) => {
      const body = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .split("**/")
        .map((part) => part.replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]"))
        .join("(?:.*/)?");
      return new RegExp(`^${body}$`);
    });
}

/** A clean environment: node on PATH, a private HOME, nothing from the workspace. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: home, ...extra };
}

const run = (command: string, args: readonly string[], extra: Record<string, string> = {}) =>
  spawnSync(command, [...args], { cwd: work, env: env(extra), encoding: "utf8", timeout: 120_000 });

/** The workspace libraries (`workspace:` dependencies) the bundled app declares, e.g. @mass-ingest/core. */
function workspaceDependencies(app: string): string[] {
  const manifest = JSON.parse(readFileSync(join(out, app, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {})
    .filter((name) => name.startsWith("@mass-ingest/"))
    .sort();
}

/** Every symlink under `dir` whose target resolves outside `dir`. */
function linksLeaving(dir: string): string[] {
  const leaving: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) {
        const target = resolve(dirname(path), readlinkSync(path));
        if (!target.startsWith(dir + sep)) leaving.push(`${relative(dir, path)} -> ${target}`);
      } else if (stat.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return leaving;
}

beforeAll(() => {
  mkdirSync(home);
  const ignore = dockerignore();
  const context = join(work, "context");
  cpSync(repo, context, {
    recursive: true,
    filter: (source) => {
      const rel = relative(repo, source).split(sep).join("/");
      return rel === "" || !ignore.some((re) => re.test(rel));
    },
  });
  expect(existsSync(join(context, "node_modules"))).toBe(false);
  expect(existsSync(join(context, "docker", "Dockerfile"))).toBe(true);
  const npx = join(dirname(process.execPath), "npx");
  const bundle = spawnSync("bash", [join(context, "docker", "bundle.sh"), out], {
    cwd: work,
    env: env({
      PNPM: `${npx} -y pnpm@12.4.2`,
      PNPM_INSTALL_ARGS: "--prefer-offline",
      npm_config_cache: join(process.env.HOME ?? home, ".npm"),
      XDG_DATA_HOME: join(process.env.HOME ?? home, ".local", "share"),
    }),
    encoding: "utf8",
    timeout: 540_000,
  });
  if (bundle.status !== 0) throw new Error(`docker/bundle.sh failed (${bundle.status}):\n${bundle.stderr}\n${bundle.stdout}`);
  // The bundle must stand on its own: the build context is gone before anything runs.
  rmSync(context, { recursive: true, force: true });
}, 600_000);

describe("the production bundle the image copies to /app", () => {
  it("is self-contained: the three apps, launchers, no links out of the bundle, no dev dependencies", () => {
    expect(readdirSync(out).sort()).toEqual(["bin", "chunker", "doctor", "processor"]);
    expect(readdirSync(join(out, "bin")).sort()).toEqual(["mass-ingest", "mass-ingest-chunker", "mass-ingest-processor"]);
    expect(linksLeaving(out)).toEqual([]);
    for (const app of ["processor", "chunker", "doctor"]) {
      expect(workspaceDependencies(app).length, app).toBeGreaterThan(0);
      for (const name of workspaceDependencies(app))
        expect(existsSync(join(out, app, "node_modules", name, "dist")), `${app}: ${name}`).toBe(true);
      expect(existsSync(join(out, app, "node_modules", "@mass-ingest", "testkit")), app).toBe(false);
      expect(existsSync(join(out, app, "src")), app).toBe(false);
    }
  });

  it("every workspace library an app depends on (core, contract, ...) loads from the bundle, every export path of it", () => {
    for (const app of ["processor", "chunker", "doctor"]) {
      const specifiers = workspaceDependencies(app).flatMap((name) => {
        const manifest = JSON.parse(readFileSync(join(out, app, "node_modules", name, "package.json"), "utf8")) as {
          exports?: Record<string, unknown>;
        };
        return Object.keys(manifest.exports ?? { ".": "" })
          .filter((key) => !key.endsWith(".json"))
          .map((key) => name + key.slice(1));
      });
      const script = `for (const s of ${JSON.stringify(specifiers)}) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s + " exports nothing"); }`;
      const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: join(out, app),
        env: env(),
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.status, `${app}: ${result.stderr}`).toBe(0);
    }
  });

  it("mass-ingest doctor --help runs from the bundle", () => {
    const result = run(join(out, "bin", "mass-ingest"), ["doctor", "--help"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Usage: mass-ingest doctor/);
  });

  it("mass-ingest-processor --help runs from the bundle", () => {
    const result = run(join(out, "bin", "mass-ingest-processor"), ["--help"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Usage: mass-ingest-processor/);
    for (const flag of ["--partition-size", "--row-count", "--run-id", "--start", "--end", "--partitions"])
      expect(result.stdout).toContain(flag);
  });

  it("the chunk job definition's command and environment plan a dry run from the bundle", () => {
    const csv = join(work, "repos.csv");
    const rows = Array.from({ length: 7 }, (_, i) => `https://git.example.com/org/repo-${i + 1}.git,main`);
    writeFileSync(csv, ["cloneUrl,branch", ...rows].join("\n") + "\n");
    const queue = "arn:aws:batch:us-east-1:123456789012:job-queue/mi-test-queue";
    const definition = "arn:aws:batch:us-east-1:123456789012:job-definition/mi-test-processor:1";
    // No state store here (a dry run would read state.json from S3); coherence.test.ts runs the chunker with one in moto.
    const defs = synthesizeJobDefinitions(minimalConfig({ partitionSize: 3, state: { create: false } }), {
      jobQueueArn: queue,
      processorJobDefinitionArn: definition,
    });
    const environment = defs.chunk.environment;
    expect(environment).toMatchObject({ JOB_QUEUE: queue, JOB_DEFINITION: definition });
    const argv = substituteCommand(defs.chunk.command, { csv }, defs.chunk.parameters);
    expect(argv.slice(0, 2)).toEqual(["mass-ingest-chunker", "submit"]);
    const result = run(join(out, "bin", argv[0] as string), [...argv.slice(1), "--dry-run", "--run-id", "bundle-test"], environment);
    expect(result.status, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      dryRun: boolean;
      rowCount: number;
      partitions: { start: number; end: number }[];
      calls: {
        operation: string;
        input: { jobName?: string; jobQueue?: string; jobDefinition?: string; parameters?: Record<string, string> };
      }[];
    };
    expect(plan.dryRun).toBe(true);
    expect(plan.rowCount).toBe(7);
    // PARTITION_SIZE / --partition-size from the job definition: 7 rows in partitions of 3.
    expect(plan.partitions.map((p) => [p.start, p.end])).toEqual([
      [1, 3],
      [4, 6],
      [7, 7],
    ]);
    const submits = plan.calls.filter((c) => c.operation === "batch:SubmitJob");
    expect(submits.length).toBeGreaterThan(0);
    for (const call of submits) {
      // The wired queue and processor job definition, the job name prefix, and exactly the processor's Ref:: parameters.
      expect(call.input.jobQueue).toBe(queue);
      expect(call.input.jobDefinition).toBe(definition);
      expect(call.input.jobName?.startsWith(defs.chunk.environment.JOB_NAME as string)).toBe(true);
      expect(Object.keys(call.input.parameters ?? {}).sort()).toEqual(Object.keys(defs.processor.parameters).sort());
      expect(call.input.parameters?.csv).toBe(csv);
    }
  });
});
