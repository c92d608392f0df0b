import { execa } from "execa";
import { existsSync, lstatSync, readFileSync } from "node:fs";
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import AdmZip from "adm-zip";
import { Redactor } from "@mass-ingest/core";
import { startGitServer, type GitServer } from "@mass-ingest/testkit/git-server";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { ExecaModCli, ingest, prepareGitAuth } from "../src/index.js";
import { buildEnvironment, passesIntoBuild } from "../src/isolation/build-env.js";
import { BuildUsers, processesOf } from "../src/isolation/build-users.js";
import { IsolatedModCli } from "../src/isolation/isolated-cli.js";
import { lockDataDir } from "../src/isolation/setup.js";
import { modRunner, rowsFor, tmp } from "./helpers.js";

const hostile = path.join(import.meta.dirname, "isolation-hostile.sh");
const isRoot = process.getuid?.() === 0;
const secrets = {
  PUBLISH_PASSWORD: "SECRET_MARKER-publish-password",
  MODERNE_TOKEN: "SECRET_MARKER-tenant-token",
  AWS_SECRET_ACCESS_KEY: "SECRET_MARKER-aws-secret",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/SECRET_MARKER",
  ECS_CONTAINER_METADATA_URI_V4: "http://169.254.170.2/v4/SECRET_MARKER",
};

let root: string;
let decoy: ReturnType<typeof execa> | undefined;

/** A data directory as a run leaves it before a build: credentials, two checkouts and their csvs, a state file. */
async function dataDir(name: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, "state"), { recursive: true });
  await writeFile(path.join(dir, "state", "state.json"), "{}");
  await prepareGitAuth({ dir: path.join(dir, ".auth"), gitCredentials: "https://u:SECRET_MARKER-git-token@git.example.invalid\n" });
  for (const row of ["row-1", "row-2"]) {
    await mkdir(path.join(dir, "work", row), { recursive: true });
    await writeFile(path.join(dir, "work", row, "file"), "source");
    await writeFile(path.join(dir, "work", `${row}.csv`), "cloneUrl\n");
  }
  return dir;
}

function findings(checkout: string): Record<string, string> {
  const text = readFileSync(path.join(checkout, "findings"), "utf8");
  return Object.fromEntries(
    text
      .trim()
      .split("\n")
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
}

beforeAll(async () => {
  root = await tmp("pipeline-isolation-");
  await chmod(root, 0o711);
  // A stand-in for the processor: a root process whose environment holds every secret.
  decoy = execa("sleep", ["100000"], { env: { ...secrets }, extendEnv: true, reject: false });
});
afterAll(async () => {
  decoy?.kill("SIGKILL");
  await rm(root, { recursive: true, force: true });
});

describe("build environment", () => {
  it("passes build settings and the build's own HOME, TMPDIR, USER; never a credential or an AWS/ECS variable", () => {
    const parent = {
      ...secrets,
      PATH: "/bin",
      MAVEN_OPTS: "-Xmx1g",
      JAVA_HOME: "/jdk",
      LC_ALL: "C",
      GIT_CONFIG_VALUE_0: "x",
      HOME: "/root",
    };
    const env = buildEnvironment(parent, {
      home: "/h",
      tmpDir: "/h/tmp",
      user: "build-0",
      extra: ["PUBLISH_PASSWORD", "MOD_STANDIN_HOME"],
    });
    expect(env).toEqual({
      PATH: "/bin",
      MAVEN_OPTS: "-Xmx1g",
      JAVA_HOME: "/jdk",
      LC_ALL: "C",
      HOME: "/h",
      TMPDIR: "/h/tmp",
      USER: "build-0",
      LOGNAME: "build-0",
    });
    for (const name of [
      "AWS_REGION",
      "ECS_AGENT_URI",
      "MODERNE_TENANT",
      "GIT_SSH_COMMAND",
      "MOD_LICENSE_KEY",
      "MY_API_TOKEN",
      "DB_SECRET",
    ]) {
      expect(passesIntoBuild(name), name).toBe(false);
    }
    expect(passesIntoBuild("MAVEN_OPTS")).toBe(true);
  });
});

describe.skipIf(!isRoot)("a hostile build as a build user", () => {
  it("reaches no credential, environ, sibling or state; writes only its checkout; its setsid child dies", async () => {
    const dir = await dataDir("isolated");
    await lockDataDir(dir);
    const users = new BuildUsers(61000, 61000, 2);
    const parentEnv = { ...process.env, ...secrets };
    const inner = new ExecaModCli({ command: hostile, env: parentEnv });
    const cli = new IsolatedModCli(inner, { users, parentEnv, homeRoot: path.join(dir, ".build-homes") });
    const checkout = path.join(dir, "work", "row-1");
    const result = await cli.run(["build", checkout, "--no-download"], { cwd: dir });
    expect(result.exitCode, result.outputTail).toBe(0);
    const got = findings(checkout);
    expect(got).toMatchObject({
      "parent-environ": "denied",
      "init-environ": "denied",
      "signal-parent": "denied",
      "build-logs": "denied",
      "other-homes": "denied",
      "environs-with-secret": "0",
      "credential-file": "denied",
      "list-work": "denied",
      "sibling-read": "denied",
      "sibling-write": "denied",
      "sibling-csv": "denied",
      "state-write": "denied",
      "state-read": "denied",
      "aws-env": "denied",
      "secret-env": "denied",
      "own-write": "reached",
      "home-write": "reached",
      groups: "61000",
      uid: "61000",
    });
    expect(processesOf(61000)).toEqual([]);
    expect(existsSync(`/proc/${got["setsid-pid"]}`) && !readFileSync(`/proc/${got["setsid-pid"]}/stat`, "utf8").includes(") Z")).toBe(
      false,
    );
    expect(existsSync(path.join(checkout, ".moderne", "build", "escape"))).toBe(false);
    expect(existsSync(path.join(checkout, "auth-link"))).toBe(false);
    expect(lstatSync(path.join(checkout, "inner-link")).isSymbolicLink()).toBe(true);
    expect(lstatSync(path.join(checkout, "built")).uid).toBe(0);
    expect(existsSync(path.join(dir, "work", "row-2", "planted"))).toBe(false);
  });

  it("through ingest: two hostile builds at once get nothing, every repository still builds, the zip is redacted", async () => {
    const git: GitServer = await startGitServer();
    const standIn: ModStandIn = createModStandIn({ config: { buildMs: 10 } });
    try {
      await Promise.all([git.createRepo("acme/one"), git.createRepo("acme/two", { private: true })]);
      // The stand-in keeps its records in its home: let the build users reach them (a real CLI keeps nothing there).
      await chmod(standIn.home, 0o711);
      await writeFile(path.join(standIn.home, "calls.jsonl"), "", { mode: 0o666 });
      await chmod(path.join(standIn.home, "calls.jsonl"), 0o666);
      const dir = path.join(root, "ingest");
      await mkdir(path.join(dir, "state"), { recursive: true });
      await writeFile(path.join(dir, "state", "state.json"), "{}");
      const redactor = new Redactor(Object.values(secrets));
      const umask = process.umask();
      const result = await ingest({
        repos: await rowsFor([git.httpUrl("acme/one"), git.httpUrl("acme/two")]),
        ...modRunner(
          path.join(import.meta.dirname, "isolation-ingest-wrapper.sh"),
          { ...process.env, ...standIn.env, ...secrets, STANDIN_COMMAND: standIn.command },
          redactor,
        ),
        dataDir: dir,
        gitCredentials: `http://${git.credentials.user}:${git.credentials.password}@${new URL(git.httpUrl("x")).host}\n`,
        tenant: { tenant: "https://tenant.example.invalid", token: secrets.MODERNE_TOKEN },
        redactor,
        isolation: { uidBase: 61000, extraEnv: ["MOD_STANDIN_HOME", "STANDIN_COMMAND"] },
      }).finally(() => process.umask(umask));
      expect(result.report.repos.map((r) => [r.status, r.reason])).toEqual([
        ["ok", undefined],
        ["ok", undefined],
      ]);
      for (const { row, logs } of result.report.repos) {
        const got = findings(logs.workDir!);
        for (const [check, value] of Object.entries(got)) {
          // signal-parent: its parent here is the wrapper, the same build user
          if (/^(own-write|home-write|groups|uid|setsid-pid|environs-with-secret|signal-parent)$/.test(check)) continue;
          expect(value, `${row} ${check}`).toBe("denied");
        }
        expect(got["environs-with-secret"], `row ${row}`).toBe("0");
        expect(["61000", "61001"]).toContain(got.uid);
      }
      expect(processesOf(61000)).toEqual([]);
      expect(processesOf(61001)).toEqual([]);
      const zip = new AdmZip(result.report.logs.buildLog.local!);
      const logs = zip
        .getEntries()
        .map((e) => e.getData().toString("utf8"))
        .join("\n");
      expect(logs).toContain("stolen: ***");
      expect(logs).not.toContain("SECRET_MARKER");
    } finally {
      standIn.cleanup();
      await git.stop();
    }
  });

  it("the same build as the processor's user reaches them (the checks above can fail)", async () => {
    const dir = await dataDir("unisolated");
    const checkout = path.join(dir, "work", "row-1");
    const cli = new ExecaModCli({ command: hostile, env: { ...process.env, ...secrets } });
    const result = await cli.run(["build", checkout], { cwd: dir });
    expect(result.exitCode, result.outputTail).toBe(0);
    const got = findings(checkout);
    expect(got).toMatchObject({ "credential-file": "reached", "sibling-write": "reached", "aws-env": "reached", "secret-env": "reached" });
    expect(Number(got["environs-with-secret"])).toBeGreaterThan(0);
    process.kill(Number(got["setsid-pid"]), "SIGKILL");
  });
});
