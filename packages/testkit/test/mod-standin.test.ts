import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import AdmZip from "adm-zip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedGitEnv } from "../src/git.js";
import { startGitServer, type CreatedRepo, type GitServer } from "../src/git-server.js";
import { createModStandIn, pidAlive, type ModStandIn } from "../src/mod-standin.js";
import { startNginx, type Nginx } from "../src/nginx.js";
import { freePort, waitForPort } from "../src/ports.js";
import { runProcess } from "../src/process.js";

describe("mod stand-in", () => {
  let gitServer: GitServer;
  let nginx: Nginx;
  let mod: ModStandIn;
  let tmp: string;
  let credentialStore: string;
  const repos: Record<string, CreatedRepo> = {};

  beforeAll(async () => {
    [gitServer, nginx] = await Promise.all([startGitServer(), startNginx({ bearerToken: "jfrog-api-token-1" })]);
    mod = createModStandIn({ config: { buildMs: 5 } });
    tmp = await mkdtemp(path.join(os.tmpdir(), "mod-standin-test-"));
    repos.app = await gitServer.createRepo("acme/app", {
      files: { "pom.xml": "<project/>\n" },
      branches: { develop: { "DEV.md": "dev\n" } },
    });
    repos.lib = await gitServer.createRepo("acme/lib", { files: { "build.gradle": "plugins {}\n" } });
    repos.secret = await gitServer.createRepo("acme/secret", { private: true });
    repos.pinned = await gitServer.createRepo("other/pinned");
    await gitServer.commit("other/pinned", { "LATER.md": "later\n" });
    const url = new URL(gitServer.httpUrl("x"));
    credentialStore = path.join(tmp, "git-credentials");
    await writeFile(credentialStore, `http://${gitServer.credentials.user}:${gitServer.credentials.password}@${url.host}\n`);
  });
  afterAll(async () => {
    await Promise.all([gitServer?.stop(), nginx?.stop()]);
    mod?.cleanup();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** Run the stand-in the way the pipeline does: env merged, NO_COLOR/TERM set. */
  const run = (args: string[], env: Record<string, string> = {}) =>
    runProcess(mod.command, args, { cwd: tmp, env: { ...isolatedGitEnv(), ...mod.env, NO_COLOR: "true", TERM: "dumb", ...env } });

  const credentialEnv = () => ({
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "credential.helper",
    GIT_CONFIG_VALUE_0: `store --file=${credentialStore}`,
  });

  it("stores configuration and rejects bad usage with exit 2", async () => {
    expect((await run(["config", "moderne", "edit", "--token=tok-123", "acme-tenant"])).code).toBe(0);
    const maven = await run(["config", "lsts", "artifacts", "maven", "add", nginx.url, "--user", nginx.user, "--password", nginx.password]);
    expect(maven.code).toBe(0);
    expect(maven.stdout).not.toContain(nginx.password);
    expect(await mod.cliConfig()).toEqual({
      moderne: { tenant: "acme-tenant", token: "tok-123" },
      artifacts: { type: "maven", url: nginx.url, user: nginx.user, password: nginx.password },
    });
    expect((await run(["config", "lsts", "artifacts", "maven", "add", nginx.url, "--jfrog-api-token", "t"])).code).toBe(2);
    expect((await run(["config", "lsts", "artifacts", "s3", "edit", "http://not-s3"])).code).toBe(2);
    expect((await run(["frobnicate"])).code).toBe(2);
    expect((await run(["build"])).code).toBe(2);

    const calls = await mod.calls();
    expect(calls.map((c) => c.exitCode)).toEqual([0, 0, 2, 2, 2, 2]);
    expect(calls[0]).toMatchObject({
      argv: ["config", "moderne", "edit", "--token=tok-123", "acme-tenant"],
      cwd: tmp,
      env: { NO_COLOR: "true", TERM: "dumb" },
    });
    expect(calls[0]!.end).toBeGreaterThanOrEqual(calls[0]!.start);
  });

  it("syncs, builds, publishes and collects logs end to end", async () => {
    const dir = path.join(tmp, "batch-1");
    const csv = path.join(tmp, "batch-1.csv");
    await writeFile(
      csv,
      [
        "cloneUrl,branch,changeset,origin,path,java,jvmopts,mavenArgs,gradleArgs,org1",
        `${gitServer.httpUrl("acme/app")},develop,,127.0.0.1,acme/app,17,"-Xmx2g -Dx=1",-DskipTests,,Acme`,
        `${gitServer.gitUrl("acme/lib")},main,,127.0.0.1,,21,,,--no-daemon,Acme`,
        `${gitServer.httpUrl("acme/secret")},main,,127.0.0.1,acme/secret,11,,,,Acme`,
        `${gitServer.httpUrl("other/pinned")},,${repos.pinned!.head},127.0.0.1,other/pinned,,,,,Other`,
        `${gitServer.httpUrl("acme/missing")},main,,127.0.0.1,acme/missing,17,,,,Acme`,
      ].join("\n") + "\n",
    );
    const sync = await run(["git", "sync", "csv", dir, csv, "--with-sources"], credentialEnv());
    expect(sync.code).toBe(1); // acme/missing failed, the others are cloned
    const head = async (rel: string) => (await readFile(path.join(dir, rel, ".git/HEAD"), "utf8")).trim();
    expect(await readFile(path.join(dir, "acme/app/DEV.md"), "utf8")).toBe("dev\n");
    expect(await readFile(path.join(dir, "acme/lib/build.gradle"), "utf8")).toBe("plugins {}\n");
    expect(existsSync(path.join(dir, "acme/secret/README.md"))).toBe(true);
    expect(await head("other/pinned")).toBe(repos.pinned!.head);
    expect(existsSync(path.join(dir, "acme/missing"))).toBe(false);
    expect(gitServer.fetches("acme/secret")).toBe(1);
    expect(JSON.parse(await readFile(path.join(dir, "acme/app/.moderne/settings.json"), "utf8"))).toMatchObject({
      java: "17",
      jvmopts: "-Xmx2g -Dx=1",
      mavenArgs: "-DskipTests",
      branch: "develop",
    });
    expect(JSON.parse(await readFile(path.join(dir, "acme/lib/.moderne/settings.json"), "utf8"))).toMatchObject({
      java: "21",
      gradleArgs: "--no-daemon",
    });
    const [syncTs] = await readdir(path.join(dir, ".moderne/sync"));
    const syncLog = await readFile(path.join(dir, ".moderne/sync", syncTs!, "sync.log"), "utf8");
    expect(syncLog).toMatch(/OK acme\/app/);
    expect(syncLog).toMatch(/FAILED acme\/missing/);
    expect(syncLog).not.toContain(gitServer.credentials.password);

    mod.setConfig({ buildMs: 5, failBuild: ["acme/lib"] });
    const build = await run(["build", dir]);
    expect(build.code).toBe(1);
    expect(build.stdout).toMatch(/Building acme\/app/);
    const [buildTs] = await readdir(path.join(dir, "acme/app/.moderne/build"));
    const jar = new AdmZip(path.join(dir, "acme/app/.moderne/build", buildTs!, `app-${buildTs}-ast.jar`));
    expect(jar.getEntries().map((e) => e.entryName)).toContain("META-INF/MANIFEST.MF");
    expect(existsSync(path.join(dir, "acme/lib/.moderne/build", buildTs!, `lib-${buildTs}-ast.jar`))).toBe(false);
    expect(await readFile(path.join(dir, "acme/lib/.moderne/build", buildTs!, "build.log"), "utf8")).toMatch(/FAILED/);

    const publish = await run(["publish", dir]);
    expect(publish.code).toBe(0);
    const uploaded = path.join(nginx.root, "acme/app", buildTs!, `app-${buildTs}-ast.jar`);
    expect(new AdmZip(uploaded).getEntry("lst.json")).toBeTruthy();
    expect((await mod.published()).map((p) => p.repo).sort()).toEqual(["acme/app", "acme/secret", "other/pinned"]);

    const zip = path.join(tmp, "logs/ingest-log.zip");
    expect((await run(["log", "syncs", "add", dir, zip, "--last-sync"])).code).toBe(1); // its directory must exist
    await mkdir(path.dirname(zip));
    expect((await run(["log", "syncs", "add", dir, zip, "--last-sync"])).code).toBe(0);
    expect((await run(["log", "builds", "add", dir, zip, "--last-build"])).code).toBe(0);
    const entries = new AdmZip(zip).getEntries().map((e) => e.entryName);
    expect(entries).toContain(`sync/${syncTs}/sync.log`);
    expect(entries).toContain(`build/${buildTs}/build.log`);
    expect(entries).toContain(`acme/lib/build/${buildTs}/build.log`);
    expect(new AdmZip(zip).readAsText(`sync/${syncTs}/sync.log`)).toBe(syncLog);
  });

  it("fails publish on a wrong password and without an artifact store", async () => {
    const dir = path.join(tmp, "batch-2");
    const csv = path.join(tmp, "batch-2.csv");
    await writeFile(csv, `cloneUrl,branch\n${gitServer.httpUrl("acme/app")},main\n`);
    mod.setConfig({ buildMs: 1 });
    expect((await run(["git", "sync", "csv", dir, csv, "--with-sources"])).code).toBe(0);
    expect(existsSync(path.join(dir, "acme/app/pom.xml"))).toBe(true); // path derived from the URL
    // A second sync of an existing checkout updates it.
    const next = await gitServer.commit("acme/app", { "NEW.md": "new\n" });
    expect((await run(["git", "sync", "csv", dir, csv, "--with-sources"])).code).toBe(0);
    expect((await readFile(path.join(dir, "acme/app/.git/HEAD"), "utf8")).trim()).toBe(next);
    expect((await run(["build", dir])).code).toBe(0);
    await run(["config", "lsts", "artifacts", "maven", "edit", nginx.url, "--user", nginx.user, "--password", "wrong"]);
    const denied = await run(["publish", dir]);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toMatch(/HTTP 401/);
    expect(denied.stdout + denied.stderr).not.toContain("wrong");
    mod.reset();
    const unconfigured = await run(["publish", dir]);
    expect(unconfigured.code).toBe(1);
    expect(unconfigured.stdout).toMatch(/No artifact repository configured/);

    expect(
      (await run(["config", "lsts", "artifacts", "artifactory", "edit", nginx.bearerUrl!, "--jfrog-api-token", nginx.bearerToken!])).code,
    ).toBe(0);
    expect((await run(["publish", dir])).code).toBe(0);
    const [artifactory] = await mod.published();
    expect(artifactory).toMatchObject({ store: "artifactory", repo: "acme/app", status: 201 });
    expect(existsSync(path.join(nginx.root, new URL(artifactory!.url).pathname))).toBe(true);

    const s3 = [
      "config",
      "lsts",
      "artifacts",
      "s3",
      "edit",
      "s3://bucket/lsts",
      "--endpoint-url",
      "http://127.0.0.1:1",
      "--region",
      "eu-west-1",
    ];
    expect((await run(s3)).code).toBe(0);
    expect((await mod.cliConfig()).artifacts).toEqual({
      type: "s3",
      url: "s3://bucket/lsts",
      endpoint: "http://127.0.0.1:1",
      region: "eu-west-1",
    });
    expect((await run(["publish", dir])).code).toBe(0);
    expect((await mod.published()).at(-1)).toMatchObject({ store: "s3", repo: "acme/app" });

    mod.setConfig({ failPublish: ["acme/app"] });
    expect((await run(["publish", dir])).code).toBe(1);
    mod.setConfig({ exitCodes: { publish: 3 } });
    expect((await run(["publish", dir])).code).toBe(3);
  });

  it("serves Prometheus metrics from `mod monitor` until stopped", async () => {
    const port = await freePort();
    const child = spawn(mod.command, ["monitor", "--port", String(port)], { env: { ...process.env, ...mod.env }, stdio: "ignore" });
    try {
      await waitForPort(port);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/^mod_up 1$/m);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.on("exit", resolve));
    }
    expect((await mod.calls()).at(-1)).toMatchObject({ argv: ["monitor", "--port", String(port)], exitCode: 143, signal: "SIGTERM" });
  });

  it("a hung build leaves a process group the caller can kill", async () => {
    const dir = path.join(tmp, "batch-3");
    const csv = path.join(tmp, "batch-3.csv");
    await writeFile(csv, `cloneUrl,branch,path\n${gitServer.httpUrl("acme/app")},main,acme/app\n`);
    expect((await run(["git", "sync", "csv", dir, csv, "--with-sources"])).code).toBe(0);
    mod.setConfig({ hangBuild: ["acme/app"] });
    const child = spawn(mod.command, ["build", dir], {
      env: { ...process.env, ...mod.env },
      stdio: "ignore",
      detached: true,
    });
    const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    await expect.poll(async () => (await mod.calls()).find((c) => c.hung), { timeout: 20_000 }).toBeTruthy();
    const hung = (await mod.calls()).find((c) => c.hung)!;
    expect(hung.pid).toBe(child.pid);
    expect(pidAlive(hung.grandchildPid!)).toBe(true);
    process.kill(-child.pid!, "SIGKILL");
    expect(await exited).toBe("SIGKILL");
    await expect.poll(() => pidAlive(hung.grandchildPid!), { timeout: 10_000 }).toBe(false);
  });

  it("stores JVM options and the trust store, and answers --version", async () => {
    mod.reset();
    expect((await run(["config", "java", "options", "edit", "-Xmx4g -Xss3m"])).code).toBe(0);
    expect((await run(["config", "http", "trust-store", "edit", "java-home"])).code).toBe(0);
    expect(await mod.cliConfig()).toEqual({ javaOptions: "-Xmx4g -Xss3m", trustStore: "java-home" });
    expect((await run(["config", "java", "options", "edit"])).code).toBe(2);
    const version = await run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe("Moderne CLI 4.9.2");
  });
});
