import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pidAlive } from "../src/mod-standin.js";
import { killGroup, runProcess, startProcess } from "../src/process.js";

const node = process.execPath;
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "testkit-process-"));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("runProcess", () => {
  it("resolves with the exit code and both streams verbatim, whatever the code", async () => {
    const r = await runProcess(node, ["-e", "process.stdout.write('out\\n'); process.stderr.write('err'); process.exit(3)"]);
    expect(r).toEqual({ code: 3, signal: null, stdout: "out\n", stderr: "err", timedOut: false });
  });

  it("runs in cwd with exactly the given environment (undefined values left out) and feeds input", async () => {
    const script =
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.stringify({cwd:process.cwd(),a:process.env.A_VAR,b:process.env.B_VAR??null,home:process.env.TESTKIT_PARENT??null,s})))";
    process.env.TESTKIT_PARENT = "parent";
    try {
      const r = await runProcess(node, ["-e", script], {
        cwd: tmp,
        env: { PATH: process.env.PATH, A_VAR: "a", B_VAR: undefined },
        input: "hello",
      });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ cwd: tmp, a: "a", b: null, home: null, s: "hello" });
      const inherited = await runProcess(node, ["-e", "console.log(process.env.TESTKIT_PARENT)"]);
      expect(inherited.stdout).toBe("parent\n");
    } finally {
      delete process.env.TESTKIT_PARENT;
    }
  });

  it("closes stdin when there is no input, so a reader sees end of input", async () => {
    const r = await runProcess(node, ["-e", "process.stdin.resume();process.stdin.on('end',()=>console.log('eof'))"]);
    expect(r).toMatchObject({ code: 0, stdout: "eof\n" });
  });

  it("kills the child after timeoutMs and says so", async () => {
    const r = await runProcess(node, ["-e", "setInterval(() => {}, 1000)"], { timeoutMs: 200 });
    expect(r).toMatchObject({ code: null, signal: "SIGTERM", timedOut: true });
  });

  it("rejects when the program cannot be started", async () => {
    await expect(runProcess(path.join(tmp, "no-such-program"), [])).rejects.toThrow(/ENOENT|no-such-program/);
  });
});

describe("startProcess", () => {
  it("gives the running child (pid, kill) and its end", async () => {
    const { child, done } = startProcess(node, [
      "-e",
      "process.on('SIGTERM', () => { console.log('bye'); process.exit(143); }); setInterval(() => {}, 1000); console.log('ready')",
    ]);
    expect(child.pid).toBeGreaterThan(0);
    await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
    child.kill("SIGTERM");
    const r = await done;
    expect(r).toMatchObject({ code: 143, signal: null, stdout: "ready\nbye\n" });
  });
});

describe("killGroup", () => {
  it("stops a detached child and the grandchild it started, escalating to SIGKILL after the grace period", async () => {
    // The child ignores SIGTERM, so only the SIGKILL after graceMs ends it; the grandchild is in its group.
    const script =
      "process.on('SIGTERM', () => {}); const g = require('node:child_process').spawn('sleep', ['100000'], { stdio: 'ignore' }); g.once('spawn', () => process.stdout.write(g.pid + '\\n')); setInterval(() => {}, 1000)";
    const child = spawn(node, ["-e", script], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
    const grandchild = await new Promise<number>((resolve) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(Number(out.trim()));
      });
    });
    expect(Number.isInteger(grandchild), `grandchild pid "${grandchild}"`).toBe(true);
    // announced once `sleep` has started (the 'spawn' event), so it is running before the kill
    expect(pidAlive(grandchild), `grandchild pid ${grandchild}`).toBe(true);
    await killGroup(child, 200);
    expect(child.signalCode).toBe("SIGKILL");
    await expect.poll(() => pidAlive(grandchild)).toBe(false);
  });

  it("resolves at once for a child that has already exited", async () => {
    const child = spawn(node, ["-e", ""], { stdio: "ignore" });
    await new Promise((resolve) => child.once("exit", resolve));
    await killGroup(child);
    expect(child.exitCode).toBe(0);
  });
});
