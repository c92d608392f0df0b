import net from "node:net";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { lsRemote } from "../src/ls-remote.js";
import { startGitHelper } from "../src/spawn/git-helper.js";

let server: GitServer;
let head = "";
let dir = "";
let silent: net.Server;
let silentUrl = "";
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = await startGitServer();
  ({ head } = await server.createRepo("org/app"));
  dir = await mkdtemp(path.join(os.tmpdir(), "lsr-helper-"));
  // a `git` first on PATH that records which process started it, then runs the real git
  const realGit = (await import("node:child_process")).execFileSync("sh", ["-c", "command -v git"]).toString().trim();
  await writeFile(path.join(dir, "git"), `#!/bin/sh\necho "$PPID" >> "${dir}/parents"\nexec "${realGit}" "$@"\n`);
  await chmod(path.join(dir, "git"), 0o755);
  silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentUrl = `git://127.0.0.1:${(silent.address() as net.AddressInfo).port}/org/app.git`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const parents = async () => (await readFile(path.join(dir, "parents"), "utf8").catch(() => "")).split("\n").filter(Boolean).map(Number);

describe("git ls-remote from the spawn helper (git:// on a loopback git daemon)", () => {
  test("git is started by one helper process, not by this one; the same answers without it", async () => {
    const env = { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ""}` };
    const targets = Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, url: server.gitUrl("org/app") }));
    const viaHelper = await lsRemote(targets, { env, concurrency: 3 });
    const helperParents = await parents();
    expect(helperParents).toHaveLength(6);
    expect(new Set(helperParents).size).toBe(1);
    expect(helperParents[0]).not.toBe(process.pid);
    await rm(path.join(dir, "parents"), { force: true });
    const here = await lsRemote(targets, { env, concurrency: 3, gitHelper: false });
    expect(await parents()).toEqual(Array(6).fill(process.pid));
    expect([...viaHelper.values()]).toEqual(Array(6).fill({ ok: true, commit: head }));
    expect([...here.entries()].sort()).toEqual([...viaHelper.entries()].sort());
  });

  test("same error classes as spawning here: not-found, timeout, refused connection", async () => {
    const refused = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const targets = [
      { key: "missing", url: server.gitUrl("org/missing") },
      { key: "branch", url: server.gitUrl("org/app"), branch: "nope" },
      { key: "silent", url: silentUrl },
      { key: "refused", url: `git://127.0.0.1:${refused}/org/app.git` },
    ];
    const viaHelper = await lsRemote(targets, { timeoutMs: 1500 });
    const here = await lsRemote(targets, { timeoutMs: 1500, gitHelper: false });
    expect(viaHelper.get("missing")).toMatchObject({ ok: false, kind: "not-found" });
    expect(viaHelper.get("branch")).toMatchObject({ ok: false, kind: "not-found", message: expect.stringContaining('"nope"') });
    expect(viaHelper.get("silent")).toMatchObject({ ok: false, kind: "timeout" });
    expect(viaHelper.get("refused")).toMatchObject({ ok: false });
    for (const key of ["missing", "branch", "silent", "refused"]) expect(viaHelper.get(key)).toEqual(here.get(key));
  });

  test("a closed helper refuses new calls (lsRemote then spawns here)", async () => {
    const helper = startGitHelper({ ...process.env });
    expect((await helper.run(["--version"], 5000)).stdout).toMatch(/^git version /);
    helper.close();
    await expect(helper.run(["--version"], 5000)).rejects.toThrow(/git helper/);
  });
});
