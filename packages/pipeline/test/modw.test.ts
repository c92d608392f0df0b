import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@mass-ingest/testkit/ports";
import { INSTALL_HINT, PipelineError, resolveModCommand } from "../src/index.js";

/** A Maven repository on loopback (node http): GET under /maven2 with basic auth user:password, else 401. */
interface Repo {
  url: string;
  user: string;
  password: string;
  close(): Promise<void>;
}
let repo: Repo;
let dir: string;
const authed = (url: string, n: Repo) => url.replace("http://", `http://${n.user}:${encodeURIComponent(n.password)}@`);

async function startRepo(root: string): Promise<Repo> {
  const user = "reader";
  const password = "pa ss:w0rd";
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) return void res.writeHead(401).end("unauthorized");
    const file = path.join(root, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    readFile(file).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end("not found"),
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, user, password, close: () => new Promise((done) => server.close(() => done())) };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "pipeline-modw-"));
  repo = await startRepo(path.join(dir, "root"));
  const base = path.join(dir, "root", "maven2", "io", "moderne", "moderne-cli");
  for (const v of ["4.9.1", "4.9.2"]) {
    await mkdir(path.join(base, v), { recursive: true });
    await writeFile(
      path.join(base, v, `moderne-cli-${v}-modw.sh`),
      `#!/bin/sh\necho "fake modw ${v} $* pinned=$MODERNE_WRAPPER_VERSION"\n`,
    );
  }
  await writeFile(
    path.join(base, "maven-metadata.xml"),
    `<?xml version="1.0"?>\n<metadata><groupId>io.moderne</groupId><artifactId>moderne-cli</artifactId><versioning><latest>4.10.0-SNAPSHOT</latest><release>4.9.1</release></versioning></metadata>\n`,
  );
});
afterAll(async () => {
  await repo.close();
  await rm(dir, { recursive: true, force: true });
});

describe("resolveModCommand", () => {
  it("prefers MOD_CLI, then `mod` on PATH", async () => {
    const bin = path.join(dir, "bin");
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, "mod"), "#!/bin/sh\n", { mode: 0o755 });
    expect(await resolveModCommand({ pathEnv: bin })).toEqual({ command: path.join(bin, "mod"), source: "PATH" });
    expect(await resolveModCommand({ modCli: path.join(bin, "mod"), pathEnv: "" })).toEqual({
      command: path.join(bin, "mod"),
      source: "MOD_CLI",
    });
    await expect(resolveModCommand({ modCli: path.join(dir, "missing"), pathEnv: "" })).rejects.toMatchObject({
      code: "MOD_CLI_UNAVAILABLE",
    });
  });

  it("downloads the pinned 4.x modw (default 4.9.2) into the cache behind a launcher that pins MODERNE_WRAPPER_VERSION", async () => {
    const cacheDir = path.join(dir, "cache");
    const resolved = await resolveModCommand({
      pathEnv: path.join(dir, "empty"),
      mavenRepository: authed(`${repo.url}/maven2/`, repo),
      env: {},
      cacheDir,
    });
    expect(resolved).toEqual({ source: "modw", version: "4.9.2", command: path.join(cacheDir, "4.9.2", "mod") });
    expect((await stat(path.join(cacheDir, "4.9.2", "moderne-cli-4.9.2-modw.sh"))).mode & 0o111).not.toBe(0);
    const { stdout } = await promisify(execFile)(resolved.command, ["--version"], {
      env: { PATH: "/usr/bin:/bin", MODERNE_WRAPPER_VERSION: "RELEASE" },
    });
    expect(stdout.trim()).toBe("fake modw 4.9.2 --version pinned=4.9.2");
  });

  it("MODERNE_WRAPPER_VERSION=RELEASE reads <release>; credentials come from MODERNE_WRAPPER_DISTRIBUTION_*", async () => {
    const resolved = await resolveModCommand({
      pathEnv: "",
      mavenRepository: `${repo.url}/maven2`,
      env: {
        MODERNE_WRAPPER_VERSION: "RELEASE",
        MODERNE_WRAPPER_DISTRIBUTION_USERNAME: repo.user,
        MODERNE_WRAPPER_DISTRIBUTION_PASSWORD: repo.password,
      },
      cacheDir: path.join(dir, "release"),
    });
    expect(resolved.version).toBe("4.9.1");
    const { stdout } = await promisify(execFile)(resolved.command, []);
    expect(stdout.trim()).toBe("fake modw 4.9.1  pinned=4.9.1");
  });

  it("refuses a 3.x version: the modw wrapper exists only from 4.0.0", async () => {
    const error = await resolveModCommand({
      pathEnv: "",
      mavenRepository: `${repo.url}/maven2`,
      version: "3.57.14",
      cacheDir: path.join(dir, "c4"),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "MOD_CLI_UNAVAILABLE" });
    expect((error as Error).message).toContain("the modw wrapper exists only from 4.0.0");
  });

  it("fails with MOD_CLI_UNAVAILABLE and install instructions when the repository is unreachable", async () => {
    const port = await freePort();
    try {
      await resolveModCommand({
        pathEnv: path.join(dir, "empty"),
        mavenRepository: `http://127.0.0.1:${port}/maven2`,
        env: {},
        cacheDir: path.join(dir, "c2"),
        timeoutMs: 5000,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PipelineError);
      expect((error as PipelineError).code).toBe("MOD_CLI_UNAVAILABLE");
      expect((error as PipelineError).hint).toBe(INSTALL_HINT);
      expect((error as Error).message).toContain(`could not fetch the modw wrapper of CLI 4.9.2 from http://127.0.0.1:${port}/maven2`);
    }
  });

  it("401 names the URL, the version and the credential settings (credentials never in the message)", async () => {
    const env = { MODERNE_WRAPPER_DISTRIBUTION_USERNAME: repo.user, MODERNE_WRAPPER_DISTRIBUTION_PASSWORD: "wrong-password-123" };
    const error = await resolveModCommand({
      pathEnv: "",
      mavenRepository: `${repo.url}/maven2`,
      env,
      cacheDir: path.join(dir, "c3"),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "MOD_CLI_UNAVAILABLE" });
    const message = (error as Error).message;
    expect(message).toContain(
      `GET ${repo.url}/maven2/io/moderne/moderne-cli/4.9.2/moderne-cli-4.9.2-modw.sh answered 401 for CLI version 4.9.2`,
    );
    expect(message).toContain(
      "check MODERNE_WRAPPER_DISTRIBUTION_USERNAME and _PASSWORD, or MODERNE_WRAPPER_DISTRIBUTION_TOKEN (auth used: basic)",
    );
    expect(message).not.toContain("wrong-password-123");
  });

  it("404 names the version and the repository setting to check", async () => {
    const error = await resolveModCommand({
      pathEnv: "",
      mavenRepository: authed(`${repo.url}/maven2`, repo),
      version: "4.99.0",
      env: {},
      cacheDir: path.join(dir, "c5"),
    }).catch((e: unknown) => e);
    const message = (error as Error).message;
    expect(message).toContain("moderne-cli-4.99.0-modw.sh answered 404 for CLI version 4.99.0");
    expect(message).toContain(`check MODERNE_WRAPPER_VERSION (4.99.0) and MOD_MAVEN_REPOSITORY (${repo.url}/maven2)`);
    expect(message).not.toContain(repo.password);
  });
});
