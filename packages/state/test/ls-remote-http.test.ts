import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startGitServer, type GitServer } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { httpLsRemote, USE_GIT } from "../src/http/ls-remote-http.js";
import { lsRemote } from "../src/ls-remote.js";
import { refPatterns } from "../src/ls-remote-output.js";

let server: GitServer;
let head = "";
let devHead = "";
let dir = "";
const servers: Array<http.Server | net.Server> = [];

/** A loopback proxy to the git server: `v0` strips Git-Protocol (a host without v2); `throttle` answers 429 first. */
async function proxy(mode: { v0?: boolean; throttle?: number }): Promise<{ url: (name: string) => string; requests: string[] }> {
  const target = new URL(server.httpUrl("x"));
  const requests: string[] = [];
  let throttled = 0;
  const p = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers["git-protocol"] ?? "-"}`);
    if (throttled < (mode.throttle ?? 0)) {
      throttled++;
      res.writeHead(429, { "retry-after": "0" }).end("slow down\n");
      return;
    }
    const headers = { ...req.headers };
    if (mode.v0) delete headers["git-protocol"];
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => p.listen(0, "127.0.0.1", resolve));
  servers.push(p);
  const port = (p.address() as net.AddressInfo).port;
  return { url: (name) => server.httpUrl(name).replace(`:${target.port}/`, `:${port}/`), requests };
}

beforeAll(async () => {
  server = await startGitServer({ daemon: false });
  ({
    head,
    branches: { dev: devHead = "" },
  } = await server.createRepo("org/app", { branches: { dev: { "dev.txt": "dev" } } }));
  await server.createRepo("org/secret", { private: true });
  dir = await mkdtemp(path.join(os.tmpdir(), "lsr-http-"));
});
afterAll(async () => {
  for (const s of servers) s.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const ask = async (url: string, branch?: string, env: Record<string, string> = {}, timeoutMs = 10_000) => {
  const client = httpLsRemote({ timeoutMs, connectionsPerHost: 4, env });
  try {
    return await client.ask(url, refPatterns(branch), branch);
  } finally {
    await client.close();
  }
};

describe("the in-process smart-HTTP client against git http-backend", () => {
  test("protocol v2 ls-refs: one POST, no info/refs; default branch and a named branch", async () => {
    server.resetStats();
    expect(await ask(server.httpUrl("org/app"))).toEqual({ ok: true, commit: head });
    expect(await ask(server.httpUrl("org/app"), "dev")).toEqual({ ok: true, commit: devHead });
    expect(server.stats("org/app")).toMatchObject({ httpRequests: 2, fetches: 0 });
  });

  test("a host without v2 falls back to the v0 advertisement (and stays on v0)", async () => {
    const v0 = await proxy({ v0: true });
    const client = httpLsRemote({ timeoutMs: 10_000, connectionsPerHost: 2 });
    expect(await client.ask(v0.url("org/app"), refPatterns(undefined), undefined)).toEqual({ ok: true, commit: head });
    expect(await client.ask(v0.url("org/app"), refPatterns("dev"), "dev")).toEqual({ ok: true, commit: devHead });
    await client.close();
    expect(v0.requests.map((r) => r.split("?")[0]!.split(" ").slice(0, 2).join(" "))).toEqual([
      "POST /org/app.git/git-upload-pack",
      "GET /org/app.git/info/refs",
      "GET /org/app.git/info/refs",
    ]);
  });

  test("missing repository and missing branch: not-found", async () => {
    expect(await ask(server.httpUrl("org/missing"))).toMatchObject({ ok: false, kind: "not-found" });
    expect(await ask(server.httpUrl("org/app"), "nope")).toMatchObject({
      ok: false,
      kind: "not-found",
      message: expect.stringContaining('branch or tag "nope" not found'),
    });
  });

  test("auth: credentials from the git credential store of the environment; a wrong password is auth, never echoed", async () => {
    const { user, password } = server.credentials;
    const origin = new URL(server.httpUrl("x")).host;
    const store = path.join(dir, "git-credentials");
    await writeFile(store, `http://${user}:${encodeURIComponent(password)}@${origin}\n`, { mode: 0o600 });
    const env = { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "credential.helper", GIT_CONFIG_VALUE_0: `store --file=${store}` };
    expect(await ask(server.httpUrl("org/secret"), undefined, env)).toMatchObject({ ok: true });
    const wrong = server.httpUrl("org/secret").replace("http://", `http://${user}:wrong-password-123@`);
    const answer = await ask(wrong);
    expect(answer).toMatchObject({ ok: false, kind: "auth" });
    expect(JSON.stringify(answer)).not.toContain("wrong-password-123");
    // no credentials of its own: git answers (its helpers, its prompt rules), and says auth
    expect(await ask(server.httpUrl("org/secret"))).toBe(USE_GIT);
    expect((await lsRemote([{ key: "k", url: server.httpUrl("org/secret") }])).get("k")).toMatchObject({ ok: false, kind: "auth" });
  });

  test("429 with Retry-After is retried", async () => {
    const slow = await proxy({ throttle: 2 });
    expect(await ask(slow.url("org/app"))).toEqual({ ok: true, commit: head });
    expect(slow.requests).toHaveLength(3);
  });

  test("a host that accepts and never answers: timeout", async () => {
    const silent = net.createServer((socket) => socket.on("error", () => {}).resume());
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    servers.push(silent);
    const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/org/app.git`;
    expect(await ask(url, undefined, {}, 800)).toMatchObject({ ok: false, kind: "timeout" });
    expect(await ask("http://127.0.0.1:1/org/app.git")).toMatchObject({ ok: false, kind: "other", message: "connection refused" });
  });
});
