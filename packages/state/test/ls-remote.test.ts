import { once } from "node:events";
import net from "node:net";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { allowedProtocols, lsRemote } from "../src/ls-remote.js";

let server: GitServer;
let hang: net.Server;
let hangUrl = "";
const sockets = new Set<net.Socket>();
let head = "";
let devHead = "";

beforeAll(async () => {
  server = await startGitServer();
  ({
    head,
    branches: { dev: devHead = "" },
  } = await server.createRepo("org/app", { branches: { dev: { "dev.txt": "dev" } } }));
  await server.createRepo("org/secret", { private: true });
  // a server that accepts connections and never answers: the per-call timeout must end the call
  hang = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.resume(); // read (and drop) the request, so the peer's close is seen
  });
  await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve));
  hangUrl = `http://127.0.0.1:${(hang.address() as net.AddressInfo).port}/org/app.git`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => hang?.close(resolve));
  await server?.stop();
});

describe("lsRemote against a loopback git server", () => {
  test("commits over http and git://, default branch and a named branch", async () => {
    const out = await lsRemote([
      { key: "http", url: server.httpUrl("org/app") },
      { key: "git", url: server.gitUrl("org/app") },
      { key: "dev", url: server.httpUrl("org/app"), branch: "dev" },
    ]);
    expect(out.get("http")).toEqual({ ok: true, commit: head });
    expect(out.get("git")).toEqual({ ok: true, commit: head });
    expect(out.get("dev")).toEqual({ ok: true, commit: devHead });
  });

  test("a new commit shows up", async () => {
    const next = await server.commit("org/app", { "b.txt": "b" });
    expect((await lsRemote([{ key: "k", url: server.httpUrl("org/app") }])).get("k")).toEqual({ ok: true, commit: next });
    head = next;
  });

  test("missing repository, missing branch: not-found", async () => {
    const out = await lsRemote([
      { key: "repo", url: server.httpUrl("org/missing") },
      { key: "daemon", url: server.gitUrl("org/missing") },
      { key: "branch", url: server.httpUrl("org/app"), branch: "nope" },
    ]);
    expect(out.get("repo")).toMatchObject({ ok: false, kind: "not-found" });
    expect(out.get("daemon")).toMatchObject({ ok: false, kind: "not-found" });
    expect(out.get("branch")).toEqual({ ok: false, kind: "not-found", message: expect.stringContaining('branch or tag "nope" not found') });
  });

  test("private repository: auth without credentials (no prompt), a commit with them, credentials never echoed", async () => {
    const { user, password } = server.credentials;
    const withCreds = server.httpUrl("org/secret").replace("http://", `http://${user}:${password}@`);
    const wrong = server.httpUrl("org/secret").replace("http://", `http://${user}:wrong-password-123@`);
    const out = await lsRemote([
      { key: "none", url: server.httpUrl("org/secret") },
      { key: "creds", url: withCreds },
      { key: "wrong", url: wrong },
    ]);
    expect(out.get("none")).toMatchObject({ ok: false, kind: "auth" });
    expect(out.get("creds")).toMatchObject({ ok: true });
    expect(out.get("wrong")).toMatchObject({ ok: false, kind: "auth" });
    expect(JSON.stringify([...out.values()])).not.toContain("wrong-password-123");
  });

  test("a server that never answers: timeout, the process killed", async () => {
    const out = await lsRemote([{ key: "k", url: hangUrl }], { timeoutMs: 1500 });
    expect(out.get("k")).toMatchObject({ ok: false, kind: "timeout" });
    // the helper that held the connection is gone too: every connection to the silent server gets closed
    expect(sockets.size).toBeGreaterThan(0);
    await Promise.all([...sockets].map((s) => (s.closed ? undefined : once(s, "close"))));
  });

  test("dns failure", async () => {
    const out = await lsRemote([{ key: "k", url: "https://no-such-host.invalid/org/repo.git" }], { timeoutMs: 20_000 });
    expect(out.get("k")).toMatchObject({ ok: false, kind: expect.stringMatching(/^(dns|other)$/) });
  });

  test("hostile URLs cannot run commands (ext:: is not allowed); file only when allowed", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lsr-"));
    const marker = path.join(dir, "pwned");
    try {
      const out = await lsRemote([
        { key: "ext", url: `ext::sh -c touch% ${marker}` },
        { key: "opt", url: "--upload-pack=touch /tmp/x" },
        { key: "file", url: `file://${server.root}/public/org/app.git` },
      ]);
      expect(out.get("ext")).toMatchObject({ ok: false });
      expect(out.get("opt")).toMatchObject({ ok: false });
      expect(out.get("file")).toMatchObject({ ok: false });
      await expect(stat(marker)).rejects.toMatchObject({ code: "ENOENT" });
      const allowed = await lsRemote([{ key: "file", url: `file://${server.root}/public/org/app.git` }], { allowFile: true });
      expect(allowed.get("file")).toEqual({ ok: true, commit: head });
      expect(allowedProtocols()).toBe("https:http:ssh:git");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("bounded concurrency over many targets", async () => {
    const targets = Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, url: server.gitUrl("org/app") }));
    const out = await lsRemote(targets, { concurrency: 4 });
    expect([...out.values()].every((r) => r.ok)).toBe(true);
    expect(out.size).toBe(40);
  });
});
