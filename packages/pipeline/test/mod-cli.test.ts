import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModStandIn, pidAlive, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { Redactor } from "@mass-ingest/core";
import { ExecaModCli } from "../src/index.js";
import { processGroupAlive } from "../src/mod-cli.js";

let standIn: ModStandIn;
let dir: string;

beforeAll(async () => {
  standIn = createModStandIn();
  dir = await mkdtemp(path.join(os.tmpdir(), "pipeline-modcli-"));
});
afterAll(async () => {
  standIn.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const cliFor = (options: Partial<ConstructorParameters<typeof ExecaModCli>[0]> = {}) =>
  new ExecaModCli({
    command: standIn.command,
    env: { ...process.env, ...standIn.env, NO_COLOR: undefined, TERM: "xterm-256color" },
    killGraceMs: 1000,
    ...options,
  });

describe("ExecaModCli", () => {
  it("runs every call with NO_COLOR=true, TERM=dumb and CUSTOM_CI=true and reports the exit code", async () => {
    standIn.reset();
    standIn.setConfig({ recordEnv: ["CUSTOM_CI"] });
    const result = await cliFor().run(["config", "moderne", "edit", "--token=abcdef123", "tenant-x"]);
    expect(result.exitCode).toBe(0);
    expect(result.timedOut).toBe(false);
    const calls = await standIn.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.env).toMatchObject({ NO_COLOR: "true", TERM: "dumb", CUSTOM_CI: "true" });
    expect(calls[0]!.argv).toEqual(["config", "moderne", "edit", "--token=abcdef123", "tenant-x"]);
  });

  it("redacts secrets from the command line and the output tail", async () => {
    standIn.reset();
    const secret = "tok-9f8e7d6c5b4a";
    const result = await cliFor({ redactor: new Redactor([secret]) }).run(["config", "moderne", "edit", `--token=${secret}`, "tenant-y"]);
    expect(result.commandLine).toContain("--token=***");
    expect(result.commandLine).not.toContain(secret);
    expect(result.outputTail).not.toContain(secret);
  });

  it("reports a failing command's exit code and output", async () => {
    // an option the 4.x parser does not know: picocli's usage error, exit 2
    const result = await cliFor().run(["build", dir, "--no-download"]);
    expect(result.exitCode).toBe(2);
    expect(result.outputTail.length).toBeGreaterThan(0);
  });

  it("reports a CLI that cannot be started as exit 127", async () => {
    const result = await new ExecaModCli({ command: path.join(dir, "no-such-mod") }).run(["build", dir]);
    expect(result.exitCode).toBe(127);
  });

  it("kills the whole process tree of a hanging build at its timeout (no orphans)", async () => {
    standIn.reset();
    standIn.setConfig({ hangBuild: ["hang"] });
    const work = path.join(dir, "hang-work");
    const { mkdir, writeFile } = await import("node:fs/promises");
    await mkdir(path.join(work, "org", "hang", ".git"), { recursive: true });
    await writeFile(path.join(work, "org", "hang", ".git", "HEAD"), "ref: refs/heads/main\n");
    const result = await cliFor().run(["build", work], { timeoutMs: 1500 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).not.toBe(0);
    expect(result.pid).toBeDefined();
    const calls = await standIn.calls();
    const hung = calls.find((c) => c.hung);
    expect(hung?.grandchildPid).toBeDefined();
    expect(pidAlive(hung!.grandchildPid!)).toBe(false);
    expect(pidAlive(hung!.pid)).toBe(false);
    expect(processGroupAlive(result.pid!)).toBe(false);
  });

  it("stops a running call when the AbortSignal fires", async () => {
    standIn.reset();
    standIn.setConfig({ hangBuild: ["hang"] });
    const work = path.join(dir, "hang-work");
    const controller = new AbortController();
    const running = cliFor().run(["build", work], { signal: controller.signal, timeoutMs: 60_000 });
    // abort once the stand-in reports the hang (it records the call when it starts hanging)
    for (let i = 0; i < 200 && !(await standIn.calls()).some((c) => c.hung); i++) await new Promise((r) => setTimeout(r, 50));
    controller.abort("SIGTERM");
    const result = await running;
    expect(result.aborted).toBe(true);
    expect(result.timedOut).toBe(false);
    const hung = (await standIn.calls()).find((c) => c.hung);
    expect(pidAlive(hung!.grandchildPid!)).toBe(false);
    expect(processGroupAlive(result.pid!)).toBe(false);
  });

  it("does not start a call when the signal is already aborted", async () => {
    standIn.reset();
    const controller = new AbortController();
    controller.abort();
    const result = await cliFor().run(["build", dir], { signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(await standIn.calls()).toHaveLength(0);
  });
});
