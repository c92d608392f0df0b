/**
 * The worker image's contract with the job definitions (paths, binaries, environment), read from the Dockerfile,
 * and the Moderne CLI installer run against a real Maven-layout HTTP server on loopback.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHUNKER_BIN, PROCESSOR_BIN, PROCESSOR_PARAMETER_DEFAULTS } from "@mass-ingest/batch";
import { runProcess } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_DIR } from "../src/constructs/job-definitions.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const dockerfile = readFileSync(join(repo, "docker", "Dockerfile"), "utf8");
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim().replace(/\s+/g, " "))
  .filter((l) => l !== "" && !l.startsWith("#"));

describe("Dockerfile", () => {
  it("collects JDK 8, 11, 17, 21 and 25 from Eclipse Temurin", () => {
    for (const v of [8, 11, 17, 21, 25]) {
      expect(instructions).toContain(`FROM eclipse-temurin:${v}-jdk-noble AS jdk${v}`);
      expect(instructions).toContain(`COPY --from=jdk${v} /opt/java/openjdk /usr/lib/jvm/temurin-${v}-jdk`);
    }
  });

  it("builds with pnpm 12.4.2 through docker/bundle.sh and ships its output as /app with the launchers on PATH", () => {
    expect(instructions).toContain("ARG PNPM_VERSION=12.4.2");
    expect(instructions.some((l) => l.endsWith("bash docker/bundle.sh /out"))).toBe(true);
    expect(instructions).toContain("COPY --from=build /out /app");
    expect(dockerfile).toMatch(/PATH=\/app\/bin:/);
    const bundle = readFileSync(join(repo, "docker", "bundle.sh"), "utf8");
    expect(bundle).toContain('for app in processor chunker; do');
    expect(bundle).toContain('bin="mass-ingest-$app"');
    expect([PROCESSOR_BIN, CHUNKER_BIN]).toEqual(["mass-ingest-processor", "mass-ingest-chunker"]);
  });

  it("bakes repos.csv where the job definitions' default csv points, and sets DATA_DIR like the job definition", () => {
    expect(instructions).toContain(`COPY repos.csv ${PROCESSOR_PARAMETER_DEFAULTS.csv}`);
    expect(dockerfile).toMatch(new RegExp(`DATA_DIR=${DATA_DIR}( |$)`, "m"));
    expect(dockerfile).toMatch(new RegExp(`chown mass-ingest:mass-ingest ${DATA_DIR}`));
  });

  it("installs git, git-lfs, Node.js and the Moderne CLI wrapper from build args", () => {
    expect(dockerfile).toMatch(/apt-get install[^\n]*\n?[^\n]*\bgit git-lfs\b/);
    expect(dockerfile).toContain("git lfs install --system");
    expect(instructions).toContain("COPY --from=node /usr/local/bin/node /usr/local/bin/node");
    for (const arg of ["ARG MODERNE_CLI_VERSION=", "ARG MODERNE_CLI_STAGE=stable", "ARG MAVEN_REPOSITORY_URL=https://repo1.maven.org/maven2"])
      expect(instructions).toContain(arg);
    expect(dockerfile).toContain("install-moderne-cli.sh /usr/local/bin/mod");
    expect(instructions).toContain("USER mass-ingest");
  });

  it(".dockerignore keeps build output, git and local state out of the context", () => {
    const ignore = readFileSync(join(repo, ".dockerignore"), "utf8").split("\n");
    for (const pattern of [".git", "**/node_modules", "**/dist", "**/cdktf.out", "**/*.tfstate*", "apps/infra/config.json"]) expect(ignore).toContain(pattern);
  });
});

describe("docker/install-moderne-cli.sh against a Maven repository on loopback", () => {
  const dir = mkdtempSync(join(tmpdir(), "modw-install-"));
  const requests: { url: string; authorization?: string }[] = [];
  let server: Server;
  let base: string;
  const METADATA = `<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <groupId>io.moderne</groupId>
  <artifactId>moderne-cli</artifactId>
  <versioning>
    <latest>3.51.0-rc.1</latest>
    <release>3.50.1</release>
    <versions><version>3.50.1</version><version>3.51.0-rc.1</version></versions>
  </versioning>
</metadata>
`;
  const wrapper = (v: string) => `#!/bin/sh\necho "modw ${v}"\n`;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ url: req.url ?? "", ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      const path = (req.url ?? "").replace(/^\/maven2/, "");
      const match = /^\/io\/moderne\/moderne-cli\/([^/]+)\/moderne-cli-\1-modw\.sh$/.exec(path);
      if (path === "/io/moderne/moderne-cli/maven-metadata.xml") res.writeHead(200, { "content-type": "application/xml" }).end(METADATA);
      else if (match && ["3.50.1", "3.51.0-rc.1", "3.49.0"].includes(match[1] as string)) res.writeHead(200).end(wrapper(match[1] as string));
      else res.writeHead(404).end("not found");
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}/maven2`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the installer asynchronously (the HTTP server lives in this process). */
  const install = async (name: string, env: Record<string, string>) => {
    const dest = join(dir, name, "mod");
    const r = await runProcess("bash", [join(repo, "docker", "install-moderne-cli.sh"), dest], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
      timeoutMs: 60_000,
    });
    return { status: r.code, stdout: r.stdout, stderr: r.stderr, dest };
  };
  const runWrapper = async (dest: string) => {
    const r = await runProcess(dest, []);
    if (r.code !== 0) throw new Error(`${dest} exited ${r.code ?? r.signal}: ${r.stderr}`);
    return r.stdout.trim();
  };

  it("stable: the <release> of maven-metadata.xml", async () => {
    const r = await install("stable", { MAVEN_REPOSITORY_URL: `http://${base}/` });
    expect(r.status, r.stderr).toBe(0);
    expect(await runWrapper(r.dest)).toBe("modw 3.50.1");
    expect(statSync(r.dest).mode & 0o777).toBe(0o755);
  });

  it("staging: the <latest>", async () => {
    const r = await install("staging", { MAVEN_REPOSITORY_URL: `http://${base}`, MODERNE_CLI_STAGE: "staging" });
    expect(r.status, r.stderr).toBe(0);
    expect(await runWrapper(r.dest)).toBe("modw 3.51.0-rc.1");
  });

  it("an explicit version skips the metadata; credentials in the URL authenticate and are never printed", async () => {
    requests.length = 0;
    const r = await install("pinned", { MAVEN_REPOSITORY_URL: `http://reader:s3cret@${base}`, MODERNE_CLI_VERSION: "3.49.0" });
    expect(r.status, r.stderr).toBe(0);
    expect(await runWrapper(r.dest)).toBe("modw 3.49.0");
    expect(requests.map((q) => q.url)).toEqual(["/maven2/io/moderne/moderne-cli/3.49.0/moderne-cli-3.49.0-modw.sh"]);
    expect(requests[0]?.authorization).toBe(`Basic ${Buffer.from("reader:s3cret").toString("base64")}`);
    const failed = await install("missing", { MAVEN_REPOSITORY_URL: `http://reader:s3cret@${base}`, MODERNE_CLI_VERSION: "9.9.9" });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("cannot download moderne-cli-9.9.9-modw.sh from http://***@");
    expect(failed.stderr + failed.stdout).not.toContain("s3cret");
  });

  it("rejects an unknown stage and a repository without the CLI", async () => {
    const stage = await install("bad-stage", { MAVEN_REPOSITORY_URL: `http://${base}`, MODERNE_CLI_STAGE: "nightly" });
    expect(stage.status).toBe(2);
    expect(stage.stderr).toContain("MODERNE_CLI_STAGE must be stable or staging, not 'nightly'");
    const empty = await install("no-cli", { MAVEN_REPOSITORY_URL: `http://${base}/elsewhere` });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain("cannot read");
  });
});
