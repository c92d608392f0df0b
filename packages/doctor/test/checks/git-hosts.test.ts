import { startGitServer, type GitServer } from "@mass-ingest/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstRepoPerHost } from "../../src/checks/git-hosts.js";
import { cleanupDirs, runCheck, tempDir, writeCsv } from "../helpers.js";

let git: GitServer;
let dir: string;

beforeAll(async () => {
  git = await startGitServer();
  await git.createRepo("org/public");
  await git.createRepo("org/private", { private: true });
  dir = await tempDir();
});
afterAll(async () => {
  await git?.stop();
  await cleanupDirs();
});

const csvOf = (...urls: string[]) =>
  writeCsv(
    dir,
    urls.map((u) => `${u},main,`),
  );

describe("git hosts check", () => {
  it("passes when the first repository of each host answers (http and git://)", async () => {
    const csv = await csvOf(git.httpUrl("org/public"), git.gitUrl("org/public"), git.httpUrl("org/missing-but-not-first"));
    const r = await runCheck("git-hosts", { csv });
    expect(r.status).toBe("pass");
    expect(r.detail).toMatch(/^2 hosts answered/);
  });

  it("fails with 'not found' when the repository is not there (http and git daemon)", async () => {
    const http = await runCheck("git-hosts", { csv: await csvOf(git.httpUrl("org/missing")) });
    expect(http.status).toBe("fail");
    expect(http.detail).toContain("not found");
    const daemon = await runCheck("git-hosts", { csv: await csvOf(git.gitUrl("org/missing")) });
    expect(daemon.status).toBe("fail");
    expect(daemon.detail).toContain("not found");
  });

  it("names 401 for a private repository without or with wrong credentials", async () => {
    const csv = await csvOf(git.httpUrl("org/private"));
    const none = await runCheck("git-hosts", { csv });
    expect(none.status).toBe("fail");
    expect(none.detail).toContain("401 unauthorized");
    const host = new URL(git.httpUrl("org/private")).host;
    const wrongSecret = "wrong-password-12345";
    const wrong = await runCheck("git-hosts", { csv, env: { GIT_CREDENTIALS: `http://${git.credentials.user}:${wrongSecret}@${host}\n` } });
    expect(wrong.status).toBe("fail");
    expect(wrong.detail).toContain("401 unauthorized");
    expect(wrong.fix).toContain("GIT_CREDENTIALS");
    expect(JSON.stringify(wrong)).not.toContain(wrongSecret);
  });

  it("passes for a private repository with the right GIT_CREDENTIALS", async () => {
    const csv = await csvOf(git.httpUrl("org/private"));
    const host = new URL(git.httpUrl("org/private")).host;
    const r = await runCheck("git-hosts", {
      csv,
      env: { GIT_CREDENTIALS: `http://${git.credentials.user}:${git.credentials.password}@${host}\n` },
    });
    expect(r.status).toBe("pass");
  });

  it("says connection refused for a host nobody listens on", async () => {
    const r = await runCheck("git-hosts", { csv: await csvOf("http://127.0.0.1:1/org/repo.git") });
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("http://127.0.0.1:1 connection refused");
  });

  it("says connection refused for a git daemon nobody listens on, keeping git's errno line", async () => {
    const r = await runCheck("git-hosts", { csv: await csvOf("git://127.0.0.1:1/org/repo.git") });
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("git://127.0.0.1:1 connection refused");
    expect(r.detail).toMatch(/errno=Connection refused/i);
  });

  it("groups rows by scheme, host and port, keeping the first row of each", () => {
    const rows = ["https://h/a/b", "https://h/a/c", "ssh://git@h/a/b", "https://h:8443/a/b"].map((cloneUrl, i) => ({
      row: i + 1,
      line: i + 2,
      cloneUrl,
      origin: "h",
      path: "a/b",
      orgs: [],
      extra: {},
    }));
    expect([...firstRepoPerHost(rows)].map(([host, r]) => `${host}=${r.row}`)).toEqual(["https://h=1", "ssh://h=3", "https://h:8443=4"]);
  });
});
