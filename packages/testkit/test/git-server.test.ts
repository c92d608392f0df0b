import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedGitEnv } from "../src/git.js";
import { startGitServer, type GitServer } from "../src/git-server.js";

const exec = promisify(execFile);

describe("startGitServer", () => {
  let server: GitServer;
  let tmp: string;

  beforeAll(async () => {
    server = await startGitServer();
    tmp = await mkdtemp(path.join(os.tmpdir(), "testkit-git-test-"));
  });
  afterAll(async () => {
    await server?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const clone = (url: string, dest: string, extra: string[] = [], env: Record<string, string> = {}) =>
    exec("git", ["clone", "-q", ...extra, url, path.join(tmp, dest)], { env: isolatedGitEnv(env) });
  const revParse = async (dest: string) =>
    (await exec("git", ["rev-parse", "HEAD"], { cwd: path.join(tmp, dest), env: isolatedGitEnv() })).stdout.trim();

  it("serves a public repository over http and git:// with real commits", async () => {
    const repo = await server.createRepo("acme/widgets", {
      files: { "pom.xml": "<project/>\n", "src/App.java": "class App {}\n" },
      branches: { feature: { "FEATURE.md": "feature\n" } },
    });
    expect(repo.head).toMatch(/^[0-9a-f]{40}$/);
    expect(repo.branches.feature).toMatch(/^[0-9a-f]{40}$/);
    expect(repo.branches.feature).not.toBe(repo.head);

    await clone(server.httpUrl("acme/widgets"), "http-clone");
    expect(await revParse("http-clone")).toBe(repo.head);
    expect(await readFile(path.join(tmp, "http-clone/src/App.java"), "utf8")).toBe("class App {}\n");
    expect(server.fetches("acme/widgets")).toBe(1);

    await clone(server.gitUrl("acme/widgets"), "git-clone", ["--branch", "feature"]);
    expect(await revParse("git-clone")).toBe(repo.branches.feature);
    expect(await readFile(path.join(tmp, "git-clone/FEATURE.md"), "utf8")).toBe("feature\n");
    // The daemon log line arrives asynchronously.
    await expect.poll(() => server.fetches("acme/widgets")).toBe(2);
  });

  it("refuses a private repository without credentials and serves it with them", async () => {
    const repo = await server.createRepo("acme/secret", { private: true, files: { "a.txt": "a\n" } });
    await expect(clone(server.httpUrl("acme/secret"), "no-creds")).rejects.toThrow();
    expect(server.stats("acme/secret").unauthorized).toBeGreaterThan(0);
    expect(server.fetches("acme/secret")).toBe(0);

    const res = await fetch(`${server.httpUrl("acme/secret")}/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);

    // Credentials through a git-credentials store file, the way GIT_CREDENTIALS reaches workers.
    const store = path.join(tmp, "git-credentials");
    const { user, password } = server.credentials;
    const url = new URL(server.httpUrl("acme/secret"));
    await exec("sh", ["-c", `printf '%s\\n' "$LINE" > "$FILE"`], {
      env: { ...process.env, LINE: `http://${user}:${password}@${url.host}`, FILE: store },
    });
    await clone(server.httpUrl("acme/secret"), "with-creds", [], {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "credential.helper",
      GIT_CONFIG_VALUE_0: `store --file=${store}`,
    });
    expect(await revParse("with-creds")).toBe(repo.head);
    expect(server.fetches("acme/secret")).toBe(1);

    // Private repositories are not exported over git://.
    await expect(clone(server.gitUrl("acme/secret"), "git-private")).rejects.toThrow();
  });

  it("adds commits and answers 404 for unknown repositories", async () => {
    const repo = await server.createRepo("solo");
    const next = await server.commit("solo", { "NEXT.md": "next\n" });
    expect(next).not.toBe(repo.head);
    await clone(server.httpUrl("solo"), "solo");
    expect(await revParse("solo")).toBe(next);
    await expect(clone(server.httpUrl("missing/repo"), "missing")).rejects.toThrow();
  });
});
