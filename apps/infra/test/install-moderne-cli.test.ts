/**
 * docker/install-moderne-cli.sh, the image's CLI install step, run for real against a Maven repository on loopback
 * (node http) that serves a fake 4.x modw wrapper: the URLs it builds, the moderne-wrapper.properties it writes,
 * how it authenticates, and what it says when the repository refuses. What only a real image build can confirm is
 * in docs/worker-image.md.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { arch, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runProcess } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../../../docker/install-moderne-cli.sh", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "mass-ingest-install-cli-"));
const BASIC = `Basic ${Buffer.from("reader:s3cret").toString("base64")}`;
const TOKEN = "tok-0123456789";
const METADATA = `<?xml version="1.0" encoding="UTF-8"?>
<metadata><groupId>io.moderne</groupId><artifactId>moderne-cli</artifactId>
  <versioning><latest>4.10.0-rc.1</latest><release>4.9.1</release></versioning></metadata>
`;
/** The fake wrapper: prints its arguments and the wrapper env it was given. */
const wrapper = (v: string) =>
  `#!/bin/sh\necho "modw ${v} $*"\necho "user=\${MODERNE_WRAPPER_DISTRIBUTION_USERNAME:-} pass=\${MODERNE_WRAPPER_DISTRIBUTION_PASSWORD:-} token=\${MODERNE_WRAPPER_DISTRIBUTION_TOKEN:-}"\n`;

const requests: { url: string; authorization?: string }[] = [];
let server: Server;
let host: string;

beforeAll(async () => {
  const files = new Map<string, string>([["/maven/io/moderne/moderne-cli/maven-metadata.xml", METADATA]]);
  for (const v of ["4.9.1", "4.9.2"]) files.set(`/maven/io/moderne/moderne-cli/${v}/moderne-cli-${v}-modw.sh`, wrapper(v));
  // /maven: anonymous; /private: Basic reader:s3cret or the Bearer token, else 401; /forbidden: always 403.
  server = createServer((req, res) => {
    const url = req.url ?? "";
    requests.push({ url, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    if (url.startsWith("/forbidden/")) return void res.writeHead(403).end("forbidden");
    let path = url;
    if (url.startsWith("/private/")) {
      if (req.headers.authorization !== BASIC && req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end("no");
      path = url.replace("/private/", "/maven/");
    }
    const body = files.get(path);
    if (body === undefined) res.writeHead(404).end("not found");
    else res.writeHead(200).end(body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(work, { recursive: true, force: true });
});

const install = async (name: string, env: Record<string, string>, args: string[] = []) => {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const dest = join(dir, "bin", "mod");
  const props = join(dir, "home", ".moderne", "cli", "dist", "moderne-wrapper.properties");
  requests.length = 0;
  const r = await runProcess("bash", [script, ...args, dest], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: join(dir, "home"), MODERNE_CLI_CREDENTIALS_FILE: join(dir, "none"), ...env },
    timeoutMs: 60_000,
  });
  const output = r.stdout + r.stderr;
  return { code: r.code, stderr: r.stderr, output, dest, props, dir, urls: requests.map((q) => q.url) };
};
const platform = `linux-${["arm64", "aarch64"].includes(arch()) ? "aarch64" : "x64"}`;

describe("docker/install-moderne-cli.sh", () => {
  it("a pinned 4.x version: one GET of moderne-cli-V-modw.sh, installed 0755, pinned in moderne-wrapper.properties", async () => {
    const versionFile = join(work, "pinned-version");
    const r = await install("pinned", {
      MODERNE_CLI_REPOSITORY: `${host}/maven/`,
      MODERNE_CLI_VERSION: "4.9.2",
      MODERNE_CLI_VERSION_FILE: versionFile,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.urls).toEqual(["/maven/io/moderne/moderne-cli/4.9.2/moderne-cli-4.9.2-modw.sh"]);
    expect(statSync(r.dest).mode & 0o777).toBe(0o755);
    expect(readFileSync(r.dest, "utf8")).toBe(wrapper("4.9.2"));
    // A mirror: the distribution comes from the same repository; the wrapper expands ${version} and ${extension}.
    const lines = readFileSync(r.props, "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("#"));
    expect(lines).toEqual([
      "version=4.9.2",
      `distributionUrl=${host}/maven/io/moderne/moderne-cli-${platform}/\${version}/moderne-cli-${platform}-\${version}.\${extension}`,
      "jdkUrl=skip",
    ]);
    expect(readFileSync(versionFile, "utf8")).toBe("4.9.2\n");
  });

  it("an explicit MODERNE_CLI_DISTRIBUTION_URL and distribution checksum are written as given", async () => {
    const dist = "https://mirror.example.com/cli/${version}/mod-${platform}.${extension}";
    const r = await install("dist", {
      MODERNE_CLI_REPOSITORY: `${host}/maven`,
      MODERNE_CLI_VERSION: "4.9.2",
      MODERNE_CLI_DISTRIBUTION_URL: dist,
      MODERNE_CLI_DISTRIBUTION_SHA256: "ab".repeat(32),
    });
    expect(r.code, r.stderr).toBe(0);
    const props = readFileSync(r.props, "utf8");
    expect(props).toContain(`\ndistributionUrl=${dist}\n`);
    expect(props).toContain(`\ndistributionSha256Sum=${"ab".repeat(32)}\n`);
  });

  it("an empty version or RELEASE resolves <release> from maven-metadata.xml and pins what it found", async () => {
    for (const version of ["", "RELEASE"]) {
      const r = await install(`release-${version || "empty"}`, { MODERNE_CLI_REPOSITORY: `${host}/maven`, MODERNE_CLI_VERSION: version });
      expect(r.code, r.stderr).toBe(0);
      expect(r.urls).toEqual([
        "/maven/io/moderne/moderne-cli/maven-metadata.xml",
        "/maven/io/moderne/moderne-cli/4.9.1/moderne-cli-4.9.1-modw.sh",
      ]);
      expect(readFileSync(r.props, "utf8")).toContain("\nversion=4.9.1\n");
    }
  });

  it("credentials from the build secret (username/password or token) authenticate and are never printed nor stored", async () => {
    const secret = join(work, "secret-basic");
    writeFileSync(secret, "username=reader\npassword=s3cret\n");
    const basic = await install("basic", {
      MODERNE_CLI_REPOSITORY: `${host}/private`,
      MODERNE_CLI_VERSION: "4.9.2",
      MODERNE_CLI_CREDENTIALS_FILE: secret,
    });
    expect(basic.code, basic.stderr).toBe(0);
    expect(requests.map((q) => q.authorization)).toEqual([BASIC]);
    expect(basic.output).not.toContain("s3cret");
    expect(readFileSync(basic.props, "utf8")).not.toMatch(/s3cret|reader|distributionUsername|distributionPassword/);
    const token = await install("token", {
      MODERNE_CLI_REPOSITORY: `${host}/private`,
      MODERNE_CLI_VERSION: "4.9.2",
      MODERNE_CLI_REPOSITORY_TOKEN: TOKEN,
    });
    expect(token.code, token.stderr).toBe(0);
    expect(requests.map((q) => q.authorization)).toEqual([`Bearer ${TOKEN}`]);
    expect(token.output).not.toContain(TOKEN);
  });

  it("--prefetch runs the wrapper's --version with the secret handed over as MODERNE_WRAPPER_DISTRIBUTION_*", async () => {
    const secret = join(work, "secret-prefetch");
    writeFileSync(secret, "username=reader\npassword=s3cret\n");
    const env = { MODERNE_CLI_REPOSITORY: `${host}/private`, MODERNE_CLI_VERSION: "4.9.2", MODERNE_CLI_CREDENTIALS_FILE: secret };
    const installed = await install("prefetch", env);
    expect(installed.code, installed.stderr).toBe(0);
    const r = await runProcess("bash", [script, "--prefetch", installed.dest], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")).toEqual(["modw 4.9.2 --version", "user=reader pass=s3cret token=", ""]);
  });

  it("401: names the URL, the version and the build secret to check", async () => {
    const r = await install("401", { MODERNE_CLI_REPOSITORY: `${host}/private`, MODERNE_CLI_VERSION: "4.9.2" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`GET ${host}/private/io/moderne/moderne-cli/4.9.2/moderne-cli-4.9.2-modw.sh answered 401 for version 4.9.2`);
    expect(r.stderr).toContain("check the build secret moderne-cli-repository (MODERNE_CLI_CREDENTIALS_FILE; auth used: none)");
    const wrong = join(work, "secret-wrong");
    writeFileSync(wrong, "username=reader\npassword=wrong-pw-77\n");
    const bad = await install("401-wrong", {
      MODERNE_CLI_REPOSITORY: `${host}/private`,
      MODERNE_CLI_VERSION: "4.9.2",
      MODERNE_CLI_CREDENTIALS_FILE: wrong,
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("answered 401");
    expect(bad.stderr).toContain("auth used: basic");
    expect(bad.output).not.toContain("wrong-pw-77");
  });

  it("403: not entitled; 404: the version and the repository to check, with the Maven Central caveat", async () => {
    const forbidden = await install("403", { MODERNE_CLI_REPOSITORY: `${host}/forbidden`, MODERNE_CLI_VERSION: "4.9.2" });
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain("answered 403 for version 4.9.2: the credentials are not entitled to the Moderne CLI");
    const missing = await install("404", { MODERNE_CLI_REPOSITORY: `${host}/maven`, MODERNE_CLI_VERSION: "4.99.0" });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      `GET ${host}/maven/io/moderne/moderne-cli/4.99.0/moderne-cli-4.99.0-modw.sh answered 404 for version 4.99.0`,
    );
    expect(missing.stderr).toContain(`check MODERNE_CLI_VERSION (4.99.0) and MODERNE_CLI_REPOSITORY (${host}/maven)`);
    expect(missing.stderr).toContain("Maven Central has releases up to 4.7.4 only");
    const noMetadata = await install("404-metadata", { MODERNE_CLI_REPOSITORY: `${host}/elsewhere`, MODERNE_CLI_VERSION: "" });
    expect(noMetadata.stderr).toContain(`GET ${host}/elsewhere/io/moderne/moderne-cli/maven-metadata.xml answered 404 for version RELEASE`);
  });

  it("refuses a 3.x version, credentials in the URL and an unknown repository before any request", async () => {
    const old = await install("3x", { MODERNE_CLI_REPOSITORY: `${host}/maven`, MODERNE_CLI_VERSION: "3.57.14" });
    expect(old.code).toBe(2);
    expect(old.stderr).toContain("the modw wrapper exists only from 4.0.0; pin a 4.x release");
    const inUrl = await install("in-url", { MODERNE_CLI_REPOSITORY: host.replace("//", "//reader:s3cret@"), MODERNE_CLI_VERSION: "4.9.2" });
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toContain("must not carry credentials");
    const unknown = await install("unknown", { MODERNE_CLI_REPOSITORY: "nexus", MODERNE_CLI_VERSION: "4.9.2" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("MODERNE_CLI_REPOSITORY must be cgp, central or an http(s) URL, not 'nexus'");
    expect(requests).toEqual([]);
  });
});
