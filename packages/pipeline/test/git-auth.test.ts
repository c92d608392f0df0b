import { execFile } from "node:child_process";
import { readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { Redactor } from "@mass-ingest/core";
import { prepareGitAuth } from "../src/index.js";
import { tmp } from "./helpers.js";

let git: GitServer;
let dir: string;
beforeAll(async () => {
  git = await startGitServer({ daemon: false });
  await git.createRepo("priv/repo", { private: true });
  dir = await tmp("pipeline-gitauth-");
});
afterAll(async () => {
  await git?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("prepareGitAuth", () => {
  it("writes a 0600 credentials store that git uses through the returned env, and registers the password", async () => {
    const host = new URL(git.httpUrl("x")).host;
    const redactor = new Redactor();
    const env = await prepareGitAuth({
      gitCredentials: `http://${git.credentials.user}:${git.credentials.password}@${host}`,
      dir: path.join(dir, "auth"),
      redactor,
    });
    expect(env.GIT_CONFIG_COUNT).toBe("1");
    expect(env.GIT_CONFIG_KEY_0).toBe("credential.helper");
    const file = path.join(dir, "auth", "git-credentials");
    expect(env.GIT_CONFIG_VALUE_0).toBe(`store --file=${file}`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, "auth"))).mode & 0o777).toBe(0o700);
    expect(redactor.redact(`x ${git.credentials.password} y`)).toBe("x *** y");
    // real git, isolated from the user's config, clones the private repository with it
    const target = path.join(dir, "clone");
    await promisify(execFile)("git", ["clone", "-q", git.httpUrl("priv/repo"), target], {
      env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0", ...env },
    });
    expect(await readFile(path.join(target, "README.md"), "utf8")).toContain("priv/repo");
  });

  it("writes the ssh key 0600 and points GIT_SSH_COMMAND at it", async () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----";
    const redactor = new Redactor();
    const env = await prepareGitAuth({ sshKey: key, dir: path.join(dir, "ssh"), redactor });
    const file = path.join(dir, "ssh", "ssh-key");
    expect(env.GIT_SSH_COMMAND).toBe(`ssh -i ${file} -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new`);
    expect(await readFile(file, "utf8")).toBe(`${key}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(redactor.redact(key)).not.toContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ");
    expect(await prepareGitAuth({ dir: path.join(dir, "none") })).toEqual({});
  });
});
