import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProcessGroups, Redactor } from "@mass-ingest/core";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { freePort } from "@mass-ingest/testkit/ports";
import { ExecaModCli, ingest, logKeys, PipelineError, type IngestEvent, type IngestSettings } from "../src/index.js";
import { modRunner, rowsFor, tmp } from "./helpers.js";

let git: GitServer;
let nginx: Nginx;
let standIn: ModStandIn;
let dataRoot: string;

beforeAll(async () => {
  [git, nginx] = await Promise.all([startGitServer(), startNginx()]);
  standIn = createModStandIn();
  dataRoot = await tmp("pipeline-ingest-");
  await git.createRepo("acme/open");
  await git.createRepo("acme/private", { private: true });
});
afterAll(async () => {
  standIn?.cleanup();
  await Promise.all([git?.stop(), nginx?.stop()]);
  await rm(dataRoot, { recursive: true, force: true });
});

const gitCredentials = () => `http://${git.credentials.user}:${git.credentials.password}@${new URL(git.httpUrl("x")).host}\n`;
const base = (dataDir: string, command = standIn.command, redactor?: Redactor): Pick<IngestSettings, "cli" | "env" | "dataDir"> => ({
  ...modRunner(command, { ...process.env, ...standIn.env }, redactor),
  dataDir,
});

describe("ingest", () => {
  it("writes git credentials, configures the CLI, runs the pipeline with the log store and mod monitor, then cleans up", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10 });
    const dataDir = path.join(dataRoot, "full");
    const redactor = new Redactor([nginx.password, "tenant-token-4242"]);
    const monitorPort = await freePort();
    const seen = {
      commands: [] as string[],
      configured: [] as string[],
      store: "unset" as string | undefined,
      events: [] as IngestEvent[],
    };
    // The caller creates the runner (and keeps its process groups); ingest adds the git credentials to it.
    const groups = new ProcessGroups();
    const cli = new ExecaModCli({
      command: standIn.command,
      env: { ...process.env, ...standIn.env },
      redactor,
      groups,
      onCommand: (line) => seen.commands.push(line),
    });
    const result = await ingest(
      {
        cli,
        dataDir,
        repos: await rowsFor([git.httpUrl("acme/open"), git.httpUrl("acme/private")]),
        skipped: [{ row: 3, reason: "invalid row, not ingested: X" }],
        range: { start: 1, end: 3 },
        runId: "ingest-1",
        tenant: { tenant: "https://tenant.example.invalid", token: "tenant-token-4242" },
        publish: { url: `${nginx.url}/ingest`, user: nginx.user, password: nginx.password },
        gitCredentials: gitCredentials(),
        monitorPort,
        redactor,
      },
      (event) => {
        if (event.type === "configured") seen.configured.push(...event.commands);
        if (event.type === "start") seen.store = event.store;
        seen.events.push(event);
      },
    );
    // Every call ran through the caller's runner, registered in its process groups while it ran.
    expect(seen.commands.some((line) => / build /.test(line))).toBe(true);
    expect(groups.size).toBe(0);
    expect(seen.events.map((e) => e.type).slice(0, 2)).toEqual(["configured", "start"]);
    expect(seen.store).toBe("maven");
    // 4.8+: the tenant by `login --with-token` (stdin), the maven store by mod publish's environment: no secret in argv
    expect(seen.configured).toHaveLength(2);
    expect(seen.configured.join("\n")).toContain("config moderne login --with-token");
    expect(seen.configured.join("\n")).not.toContain("--password");
    expect(result.report.runId).toBe("ingest-1");
    expect(result.report.index).toBe("1-3");
    expect(result.report.repos.map((r) => [r.row, r.status])).toEqual([
      [1, "ok"],
      [2, "ok"],
      [3, "skipped"],
    ]);
    // the private repo was cloned through the credentials file; both LSTs published; logs and report uploaded
    expect((await standIn.published()).map((p) => p.repo).sort()).toEqual(["acme/open", "acme/private"]);
    const keys = logKeys("maven", "1-3", result.report.ts);
    for (const key of [keys.buildLog, keys.syncLog]) expect(existsSync(path.join(nginx.root, "ingest", key))).toBe(true);
    expect(
      seen.events
        .filter((e) => e.type === "upload")
        .map((e) => (e as { what: string }).what)
        .sort(),
    ).toEqual(["buildLog", "report", "syncLog"]);
    // mod monitor ran for the run and was stopped at its end
    const monitor = (await standIn.calls()).find((c) => c.argv[0] === "monitor" && c.argv[1] === "--port");
    expect(monitor?.argv).toEqual(["monitor", "--port", String(monitorPort)]);
    expect(monitor?.signal).toBe("SIGTERM");
    // the git password was registered with the shared redactor; secrets appear nowhere
    expect(redactor.redact(`x ${git.credentials.password} y`)).toBe("x *** y");
    const texts = [
      seen.commands.join("\n"),
      seen.configured.join("\n"),
      JSON.stringify(seen.events),
      await readFile(result.reportFile, "utf8"),
      result.summary,
    ];
    for (const text of texts) {
      expect(text).not.toContain(nginx.password);
      expect(text).not.toContain(git.credentials.password);
      expect(text).not.toContain("tenant-token-4242");
    }
    expect(existsSync(path.join(dataDir, ".auth"))).toBe(false);
  });

  it("throws the configuration error before starting, and still removes the credential files", async () => {
    standIn.reset();
    standIn.setConfig({ version: "4.6.3", exitCodes: { config: 1 } });
    const dataDir = path.join(dataRoot, "config-fails");
    let started = false;
    const redactor = new Redactor([nginx.password]);
    const error = await ingest(
      {
        ...base(dataDir, standIn.command, redactor),
        repos: await rowsFor([git.httpUrl("acme/open")]),
        publish: { url: `${nginx.url}/ingest`, user: nginx.user, password: nginx.password },
        gitCredentials: gitCredentials(),
        redactor,
      },
      (event) => void (event.type === "start" && (started = true)),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe("CONFIGURE_FAILED");
    expect((error as PipelineError).message).not.toContain(nginx.password);
    expect(started).toBe(false);
    expect((await standIn.calls()).some((c) => c.argv[0] === "git" && !c.argv.includes("--help"))).toBe(false);
    expect(existsSync(path.join(dataDir, ".auth"))).toBe(false);
  });

  it("stops with MOD_CLI_INCAPABLE (exit 2) before any repository when the CLI lacks an option we need", async () => {
    standIn.reset();
    standIn.setConfig({});
    // A CLI whose `s3 edit` has only --endpoint (as a 3.x-era description claimed): everything else is the stand-in.
    const dataDir = path.join(dataRoot, "incapable");
    await mkdir(dataDir, { recursive: true });
    const older = path.join(dataDir, "mod-older");
    await writeFile(
      older,
      `#!/bin/sh\nif [ "$*" = "config lsts artifacts s3 edit --help" ]; then\n` +
        `printf 'Usage: mod config lsts artifacts s3 edit [-h] [--endpoint=<endpoint>] <url>\\n      --endpoint=<endpoint>  The endpoint.\\n'\nexit 0\nfi\n` +
        `exec '${standIn.command}' "$@"\n`,
      { mode: 0o755 },
    );
    const error = await ingest({
      ...base(dataDir, older),
      repos: await rowsFor([git.httpUrl("acme/open")]),
      publish: { url: "s3://bucket/lsts", s3Endpoint: "http://127.0.0.1:9" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({ code: "MOD_CLI_INCAPABLE", exitCode: 2 });
    expect((error as Error).message).toMatch(/Moderne CLI 4\.\d+\.\d+ `mod config lsts artifacts s3 edit` has no --endpoint-url option/);
    const calls = await standIn.calls();
    // only the probes ran: no clone, no `mod config`
    expect(calls.filter((c) => !c.argv.includes("--help") && !c.argv.includes("--version")).map((c) => c.argv.join(" "))).toEqual([]);
  });

  it("interrupted during configuration: starts no repository but still writes the report", async () => {
    standIn.reset();
    standIn.setConfig({ buildMs: 10 });
    const dataDir = path.join(dataRoot, "aborted");
    let start: IngestEvent | undefined;
    const result = await ingest(
      {
        ...base(dataDir),
        repos: await rowsFor([git.httpUrl("acme/open")]),
        publish: { url: `${nginx.url}/ingest`, user: nginx.user, password: nginx.password },
        signal: AbortSignal.abort("SIGTERM"),
      },
      (event) => void (event.type === "start" && (start = event)),
    );
    expect(start).toEqual({ type: "start" });
    expect(result.report.interrupted).toBe("SIGTERM");
    expect(result.report.published).toBe(false);
    expect(result.report.repos.map((r) => r.status)).toEqual(["not-started"]);
    expect(existsSync(result.reportFile)).toBe(true);
    expect((await standIn.calls()).some((c) => c.argv[0] === "git")).toBe(false);
  });
});
