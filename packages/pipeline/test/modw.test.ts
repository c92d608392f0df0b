import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginx, type Nginx } from "@mass-ingest/testkit/nginx";
import { freePort } from "@mass-ingest/testkit/ports";
import { INSTALL_HINT, PipelineError, resolveModCommand } from "../src/index.js";

let nginx: Nginx;
let dir: string;
const authed = (url: string, n: Nginx) => url.replace("http://", `http://${n.user}:${encodeURIComponent(n.password)}@`);

beforeAll(async () => {
  nginx = await startNginx();
  dir = await mkdtemp(path.join(os.tmpdir(), "pipeline-modw-"));
  const base = path.join(nginx.root, "maven2", "io", "moderne", "moderne-cli");
  await mkdir(path.join(base, "3.9.1"), { recursive: true });
  await writeFile(
    path.join(base, "maven-metadata.xml"),
    `<?xml version="1.0"?>\n<metadata><groupId>io.moderne</groupId><artifactId>moderne-cli</artifactId><versioning><latest>3.10.0-SNAPSHOT</latest><release>3.9.1</release></versioning></metadata>\n`,
  );
  await writeFile(path.join(base, "3.9.1", "moderne-cli-3.9.1-modw.sh"), `#!/bin/sh\necho "fake modw $*"\n`);
});
afterAll(async () => {
  await nginx.stop();
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

  it("downloads the latest release's modw from the Maven repository into the cache, executable", async () => {
    const cacheDir = path.join(dir, "cache");
    const resolved = await resolveModCommand({
      pathEnv: path.join(dir, "empty"),
      mavenRepository: authed(`${nginx.url}/maven2/`, nginx),
      cacheDir,
    });
    expect(resolved.source).toBe("modw");
    expect(resolved.version).toBe("3.9.1");
    expect(resolved.command).toBe(path.join(cacheDir, "moderne-cli-3.9.1-modw.sh"));
    expect((await stat(resolved.command)).mode & 0o111).not.toBe(0);
    const { stdout } = await promisify(execFile)(resolved.command, ["--version"]);
    expect(stdout.trim()).toBe("fake modw --version");
  });

  it("fails with MOD_CLI_UNAVAILABLE and install instructions when the repository is unreachable", async () => {
    const port = await freePort();
    try {
      await resolveModCommand({
        pathEnv: path.join(dir, "empty"),
        mavenRepository: `http://127.0.0.1:${port}/maven2`,
        cacheDir: path.join(dir, "c2"),
        timeoutMs: 5000,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PipelineError);
      expect((error as PipelineError).code).toBe("MOD_CLI_UNAVAILABLE");
      expect((error as PipelineError).hint).toBe(INSTALL_HINT);
      expect((error as Error).message).toContain("maven-metadata.xml");
    }
  });

  it("fails the same way when the repository answers 401 (credentials never in the message)", async () => {
    const wrong = `http://${nginx.user}:wrong-password-123@${nginx.url.slice("http://".length)}/maven2`;
    const error = await resolveModCommand({ pathEnv: "", mavenRepository: wrong, cacheDir: path.join(dir, "c3") }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "MOD_CLI_UNAVAILABLE" });
    expect((error as Error).message).toContain("401");
    expect((error as Error).message).not.toContain("wrong-password-123");
  });
});
