/**
 * The worker image cannot be built here (no Docker daemon). These tests hold both Dockerfiles to their contract
 * with the job definitions statically (stages, base images, paths, user, environment, entrypoint, commands), and
 * run the image's scripts for real: the Moderne CLI and Maven/Gradle installers against HTTP servers on loopback,
 * the CA import and the entrypoint with a real keytool and openssl on temporary trust stores, and the digest bump
 * with a stand-in `crane`.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import type { RequestListener, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CHUNKER_BIN,
  CHUNK_COMMAND,
  DEFAULTS,
  PROCESSOR_BIN,
  PROCESSOR_COMMAND,
  PROCESSOR_PARAMETER_DEFAULTS,
} from "@mass-ingest/contract";
import { runProcess } from "@mass-ingest/testkit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const docker = (name: string) => join(repo, "docker", name);
const work = mkdtempSync(join(tmpdir(), "mass-ingest-docker-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A Dockerfile as instructions: continuations joined, comments and heredoc bodies kept out, spaces collapsed. */
function parse(name: string) {
  const text = readFileSync(docker(name), "utf8");
  const lines: string[] = [];
  let heredoc: string | undefined;
  for (const raw of text.replace(/\\\n/g, " ").split("\n")) {
    if (heredoc !== undefined) {
      if (raw.trim() === heredoc) heredoc = undefined;
      continue;
    }
    const line = raw.trim().replace(/\s+/g, " ");
    if (line === "" || line.startsWith("#")) continue;
    heredoc = /<<'?([A-Z_]+)'?$/.exec(line)?.[1];
    lines.push(line);
  }
  const args = new Map<string, string>();
  for (const line of lines) {
    const m = /^ARG ([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m && !args.has(m[1] as string)) args.set(m[1] as string, (m[2] as string).replace(/^"(.*)"$/, "$1"));
  }
  /** FROM lines as [image reference after ARG substitution, stage name]. */
  const stages = lines
    .filter((l) => l.startsWith("FROM "))
    .map((l) => {
      const m = /^FROM (\S+) AS (\S+)$/.exec(l);
      if (!m) throw new Error(`${name}: FROM without a stage name: ${l}`);
      return {
        from: m[1] as string,
        image: (m[1] as string).replace(/^\$\{([A-Z0-9_]+)\}$/, (_, a: string) => args.get(a) ?? `<no ARG ${a}>`),
        name: m[2] as string,
      };
    });
  /** The instructions of one stage. */
  const stage = (stageName: string) => {
    const start = lines.findIndex((l) => l.endsWith(` AS ${stageName}`));
    const end = lines.findIndex((l, i) => i > start && l.startsWith("FROM "));
    return lines.slice(start, end === -1 ? undefined : end);
  };
  return { text, lines, args, stages, stage };
}

const main = parse("Dockerfile");
const fips = parse("Dockerfile.fips");
const both = [
  ["Dockerfile", main],
  ["Dockerfile.fips", fips],
] as const;
const IMAGE_REF = /^[a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)*:[A-Za-z0-9._-]+(?:@sha256:[0-9a-f]{64})?$/;

const bash = (script: string, args: readonly string[], env: Record<string, string>, cwd = work) =>
  spawnSync("bash", [script, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });

describe("Dockerfile", () => {
  it("collects JDK 8, 11, 17, 21 and 25 from Eclipse Temurin", () => {
    for (const v of [8, 11, 17, 21, 25]) {
      expect(main.args.get(`TEMURIN_${v}_IMAGE`)).toMatch(new RegExp(`^eclipse-temurin:${v}-jdk-noble(@sha256:[0-9a-f]{64})?$`));
      expect(main.lines).toContain(`FROM \${TEMURIN_${v}_IMAGE} AS jdk${v}`);
      expect(main.lines).toContain(`COPY --from=jdk${v} /opt/java/openjdk /usr/lib/jvm/temurin-${v}-jdk`);
      expect(main.text).toMatch(new RegExp(`JAVA_HOME_${v}_X64=/usr/lib/jvm/temurin-${v}-jdk`));
    }
  });

  it("builds with pnpm 12.4.2 through docker/bundle.sh and ships its output as /app with the launchers on PATH", () => {
    expect(main.lines).toContain("ARG PNPM_VERSION=12.4.2");
    expect(main.stage("build").some((l) => l.endsWith("bash docker/bundle.sh /out"))).toBe(true);
    expect(main.stage("runtime")).toContain("COPY --from=build /out /app");
    expect(main.text).toMatch(/PATH=\/app\/bin:/);
    // bundle.sh ships these apps and makes a launcher of every `bin` entry: the binaries the job definitions run.
    expect(readFileSync(docker("bundle.sh"), "utf8")).toContain("APPS=(processor chunker doctor)");
    const bins = (app: string) =>
      Object.keys((JSON.parse(readFileSync(join(repo, "apps", app, "package.json"), "utf8")) as { bin: Record<string, string> }).bin);
    expect(bins("processor")).toEqual([PROCESSOR_BIN]);
    expect(bins("chunker")).toEqual([CHUNKER_BIN]);
    expect([PROCESSOR_BIN, CHUNKER_BIN]).toEqual(["mass-ingest-processor", "mass-ingest-chunker"]);
    expect([PROCESSOR_COMMAND[0], CHUNK_COMMAND[0]]).toEqual([PROCESSOR_BIN, CHUNKER_BIN]);
  });

  it("installs git, git-lfs, Node.js and the Moderne CLI wrapper, at a pinned CLI version by default", () => {
    expect(main.text).toMatch(/apt-get install[^\n]*\n?[^\n]*\bgit git-lfs\b/);
    expect(main.text).toContain("git lfs install --system");
    expect(main.lines).toContain("COPY --from=node /usr/local/bin/node /usr/local/bin/node");
    for (const [name, file] of both) {
      // A 4.x release (the modw wrapper exists only from 4.0.0), from the Code Genome Project by default.
      expect(file.args.get("MODERNE_CLI_VERSION"), name).toMatch(/^(?:[4-9]|\d{2,})\.\d+\.\d+$/);
      expect(file.args.get("MODERNE_CLI_REPOSITORY"), name).toBe("cgp");
      expect(file.text, name).not.toMatch(/MODERNE_CLI_STAGE|3\.57\.14/);
      // Credentials only through the optional build secret, for the install and the prefetch.
      expect(file.text, name).toContain("--mount=type=secret,id=moderne-cli-repository,required=false");
      expect(file.text, name).toContain("--mount=type=secret,id=moderne-cli-repository,required=false,uid=10001");
    }
    expect(main.text).toContain("install-moderne-cli.sh /usr/local/bin/mod");
  });

  it("pins the CLI wrapper for the image's user, then prefetches the CLI as that user; the CLI runs on Java 25", () => {
    for (const [name, file] of both) {
      const runtime = file.stage("runtime");
      const props = "/home/mass-ingest/.moderne/cli/dist/moderne-wrapper.properties";
      const pin = runtime.findIndex((l) => l.includes(`MODERNE_WRAPPER_PROPERTIES=${props}`) || l.endsWith(` ${props}`));
      const prefetch = runtime.findIndex((l) => l.includes("install-moderne-cli.sh --prefetch /usr/local/bin/mod; fi"));
      expect(pin, name).toBeGreaterThan(-1);
      expect(prefetch, name).toBeGreaterThan(runtime.indexOf("USER mass-ingest"));
      expect(prefetch, name).toBeGreaterThan(pin);
      expect(file.text, name).toMatch(/MODERNE_JAVA_HOME=\/usr\/lib\/jvm\/(temurin-25-jdk|java-25-openjdk) /);
      expect(file.text, name).toMatch(/MODERNE_OPTS="\$\{MOD_JAVA_OPTIONS\}"/);
    }
  });

  it("installs Maven and Gradle for repositories without a wrapper, each checked against its published checksum", () => {
    for (const [name, file] of both) {
      expect(file.args.get("MAVEN_VERSION"), name).toBe("3.9.11");
      expect(file.args.get("GRADLE_VERSION"), name).toBe("8.14");
      // apache-maven-3.9.11-bin.tar.gz.sha512 and gradle-8.14-bin.zip.sha256 as published.
      expect(file.args.get("MAVEN_SHA512"), name).toBe(
        "bcfe4fe305c962ace56ac7b5fc7a08b87d5abd8b7e89027ab251069faebee516b0ded8961445d6d91ec1985dfe30f8153268843c89aa392733d1a3ec956c9978",
      );
      expect(file.args.get("GRADLE_SHA256"), name).toBe("61ad310d3c7d3e5da131b76bbf22b5a4c0786e9d892dae8c1658d4b484de3caa");
      expect(file.text, name).toContain('install-build-tool.sh maven "${MAVEN_VERSION}" "${MAVEN_SHA512}" /opt/build-tools');
      expect(file.text, name).toContain('install-build-tool.sh gradle "${GRADLE_VERSION}" "${GRADLE_SHA256}" /opt/build-tools');
      expect(
        file.lines.some((l) => /^COPY --from=\S+ \/opt\/build-tools \/opt\/build-tools$/.test(l)),
        name,
      ).toBe(true);
      expect(file.text, name).toMatch(/PATH=\/app\/bin:\S*:\/opt\/build-tools\/bin:/);
    }
  });

  it("imports docker/certs/*.crt at build time and lets the entrypoint import CA_CERTS at run time", () => {
    for (const [name, file] of both) {
      expect(file.lines, name).toContain("COPY docker/certs/ /usr/local/share/mass-ingest/certs/");
      expect(file.text, name).toContain("import-ca-certs.sh build /usr/local/share/mass-ingest/certs");
      expect(file.text, name).toContain("import-ca-certs.sh writable mass-ingest");
      expect(file.text, name).toMatch(/NODE_EXTRA_CA_CERTS=\/etc\/\S+/);
      expect(file.text, name).toContain('mod config http trust-store edit file "${MODERNE_JAVA_HOME}/lib/security/cacerts"');
      expect(file.lines, name).toContain('ENTRYPOINT ["/usr/local/lib/mass-ingest/entrypoint.sh"]');
      expect(file.text, name).toMatch(/COPY --chmod=0755 [^\n]*docker\/entrypoint\.sh[^\n]* \/usr\/local\/lib\/mass-ingest\//);
    }
    // The COPY works with no certificates: the folder is kept by its README, and .dockerignore lets *.crt in.
    expect(existsSync(docker("certs/README.md"))).toBe(true);
    const ignore = readFileSync(join(repo, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
    const ignored = (path: string) =>
      ignore.some((p) =>
        new RegExp(
          `^${p
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .split("**/")
            .map((s) => s.replace(/\*/g, "[^/]*"))
            .join("(?:.*/)?")}$`,
        ).test(path),
      );
    expect(ignored("docker/certs/corp-root.crt")).toBe(false);
    expect(ignored("docker/certs/README.md")).toBe(false);
  });

  it("bakes the CLI's JVM options and CUSTOM_CI=true like the reference image", () => {
    for (const [name, file] of both) {
      expect(file.args.get("MOD_JAVA_OPTIONS"), name).toBe("-Xmx4g -Xss3m");
      expect(file.text, name).not.toContain("mod config java options edit");
      expect(file.text, name).toMatch(/^\s+CUSTOM_CI=true \\$/m);
    }
  });

  it("both variants run the job definitions' commands the same way: paths, user, data dir, repos.csv, CMD", () => {
    for (const [name, file] of both) {
      const runtime = file.stage("runtime");
      expect(runtime, name).toContain(`COPY repos.csv ${PROCESSOR_PARAMETER_DEFAULTS.csv}`);
      expect(runtime, name).toContain("COPY --from=build /out /app");
      expect(runtime, name).toContain("USER mass-ingest");
      expect(runtime, name).toContain(`WORKDIR ${DEFAULTS.imageDataDir}`);
      expect(file.text, name).toMatch(new RegExp(`DATA_DIR=${DEFAULTS.imageDataDir}( |$)`, "m"));
      expect(file.text, name).toContain(`chown mass-ingest:mass-ingest ${DEFAULTS.imageDataDir}`);
      expect(file.text, name).toContain("useradd --create-home --uid 10001");
      expect(file.text, name).toMatch(/MOD_CLI=\/usr\/local\/bin\/mod/);
      expect(runtime.at(-1), name).toBe(`CMD ["${PROCESSOR_BIN}", "--help"]`);
      expect(file.stages.at(-1)?.name, name).toBe("runtime");
    }
  });

  it("FIPS variant: UBI 9, FIPS crypto policy, OpenSSL's FIPS provider forced, Red Hat JDKs, Node on the FIPS provider", () => {
    expect(fips.args.get("UBI_IMAGE")).toMatch(/^registry\.access\.redhat\.com\/ubi9\/ubi:/);
    const runtime = fips.stage("runtime").join("\n");
    expect(runtime).toContain("update-crypto-policies --set FIPS");
    for (const line of [
      "'[fips_sect]' 'activate = 1'",
      "'default_properties = fips=yes'",
      "'.include = /etc/crypto-policies/back-ends/opensslcnf.config'",
      "> /etc/pki/tls/openssl.cnf",
    ])
      expect(runtime).toContain(line);
    // The build proves OpenSSL refuses MD5 and Node runs with FIPS on.
    expect(runtime).toContain("! openssl md5 /etc/hostname");
    expect(runtime).toContain("c.getFips()");
    expect(fips.text).toMatch(/NODE_OPTIONS=--openssl-shared-config/);
    for (const pkg of [
      "java-1.8.0-openjdk-devel",
      "java-11-openjdk-devel",
      "java-17-openjdk-devel",
      "java-21-openjdk-devel",
      "java-25-openjdk-devel",
      "nodejs",
      "git-lfs",
    ])
      expect(runtime).toContain(pkg);
    // JDK 8/11: TLS 1.3 disabled on top of the FIPS policy (the PKCS#11 AES-GCM bug), never looser.
    expect(fips.text).toContain("jdk.tls.disabledAlgorithms=TLSv1.3, ${tls}");
    // Downloads happen before the policy, in their own stage; the runtime stage never downloads a build tool.
    expect(fips.stage("downloads").join("\n")).toContain("install-moderne-cli.sh /opt/mod/mod");
    expect(runtime).not.toContain("install-build-tool.sh");
    expect(existsSync(docker("Dockerfile.fips"))).toBe(true);
  });

  it("every base image is an ARG: a tag, or a tag pinned to a digest (docker/bump-digests.sh)", () => {
    for (const [name, file] of both) {
      const stageNames = new Set<string>();
      for (const stage of file.stages) {
        if (!stageNames.has(stage.from)) {
          expect(stage.from, `${name} ${stage.name}`).toMatch(/^\$\{[A-Z0-9_]+_IMAGE\}$/);
          expect(stage.image, `${name} ${stage.name}`).toMatch(IMAGE_REF);
        }
        stageNames.add(stage.name);
      }
    }
  });

  it("every script passes bash -n", () => {
    for (const script of [
      "bundle.sh",
      "install-moderne-cli.sh",
      "install-build-tool.sh",
      "import-ca-certs.sh",
      "entrypoint.sh",
      "bump-digests.sh",
    ]) {
      const r = spawnSync("bash", ["-n", docker(script)], { encoding: "utf8" });
      expect(r.status, `${script}: ${r.stderr}`).toBe(0);
      expect(statSync(docker(script)).mode & 0o111, script).not.toBe(0);
    }
  });

  it(".dockerignore keeps build output, git and local state out of the context", () => {
    const ignore = readFileSync(join(repo, ".dockerignore"), "utf8").split("\n");
    for (const pattern of [".git", "**/node_modules", "**/dist", "**/cdktf.out", "**/*.tfstate*", "apps/infra/config.json"])
      expect(ignore).toContain(pattern);
  });
});

/** Serves `routes` (path -> body) on loopback; records every request. */
async function serve(routes: Map<string, Buffer | string>) {
  const requests: { url: string; authorization?: string }[] = [];
  const handler: RequestListener = (req, res) => {
    requests.push({ url: req.url ?? "", ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const body = routes.get(req.url ?? "");
    if (body === undefined) res.writeHead(404).end("not found");
    else res.writeHead(200).end(body);
  };
  const server: Server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { requests, base, close: () => new Promise((done) => server.close(done)) };
}

describe("docker/install-build-tool.sh: Maven and Gradle against a distribution server on loopback", () => {
  const dir = join(work, "build-tools");
  let server: Awaited<ReturnType<typeof serve>>;
  const sums = { maven: "", gradle: "" };

  beforeAll(async () => {
    // Minimal distributions with the layout of the real ones: apache-maven-V/bin/mvn, gradle-V/bin/gradle.
    const src = join(dir, "src");
    for (const [home, bin] of [
      ["apache-maven-3.9.11", "mvn"],
      ["gradle-8.14", "gradle"],
    ] as const) {
      mkdirSync(join(src, home, "bin"), { recursive: true });
      writeFileSync(join(src, home, "bin", bin), `#!/bin/sh\necho "${home} $*"\n`, { mode: 0o755 });
    }
    const tar = spawnSync("tar", ["-czf", join(dir, "maven.tar.gz"), "-C", src, "apache-maven-3.9.11"]);
    const zip = spawnSync("zip", ["-qr", join(dir, "gradle.zip"), "gradle-8.14"], { cwd: src });
    expect([tar.status, zip.status]).toEqual([0, 0]);
    const maven = readFileSync(join(dir, "maven.tar.gz"));
    const gradle = readFileSync(join(dir, "gradle.zip"));
    const { createHash } = await import("node:crypto");
    sums.maven = createHash("sha512").update(maven).digest("hex");
    sums.gradle = createHash("sha256").update(gradle).digest("hex");
    server = await serve(
      new Map([
        ["/maven2/org/apache/maven/apache-maven/3.9.11/apache-maven-3.9.11-bin.tar.gz", maven],
        ["/distributions/gradle-8.14-bin.zip", gradle],
      ]),
    );
  });
  afterAll(() => server.close());

  const install = (tool: string, version: string, checksum: string, prefix: string) =>
    runProcess("bash", [docker("install-build-tool.sh"), tool, version, checksum, prefix], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        MAVEN_REPOSITORY_URL: `http://u:pw@${server.base}/maven2`,
        GRADLE_DIST_URL: `http://${server.base}/distributions/`,
      },
      timeoutMs: 60_000,
    });

  it("installs both when the checksums match, with mvn and gradle in PREFIX/bin", async () => {
    const prefix = join(dir, "ok");
    const maven = await install("maven", "3.9.11", sums.maven.toUpperCase(), prefix);
    expect(maven.code, maven.stderr).toBe(0);
    const gradle = await install("gradle", "8.14", sums.gradle, prefix);
    expect(gradle.code, gradle.stderr).toBe(0);
    expect(spawnSync(join(prefix, "bin", "mvn"), ["-v"], { encoding: "utf8" }).stdout.trim()).toBe("apache-maven-3.9.11 -v");
    expect(spawnSync(join(prefix, "bin", "gradle"), ["-v"], { encoding: "utf8" }).stdout.trim()).toBe("gradle-8.14 -v");
    expect(lstatSync(join(prefix, "bin", "mvn")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(prefix, "bin", "gradle"))).toBe("../gradle-8.14/bin/gradle");
  });

  it("a checksum that differs installs nothing and says both values; credentials never printed", async () => {
    const prefix = join(dir, "bad");
    const wrong = "0".repeat(128);
    const r = await install("maven", "3.9.11", wrong, prefix);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `sha512 of http://***@${server.base}/maven2/org/apache/maven/apache-maven/3.9.11/apache-maven-3.9.11-bin.tar.gz is ${sums.maven}, expected ${wrong} (MAVEN_SHA512); nothing installed`,
    );
    expect(r.stderr).not.toContain("pw@");
    expect(existsSync(join(prefix, "apache-maven-3.9.11"))).toBe(false);
  });

  it("no checksum, a malformed one, an unknown tool or a missing version stop before any download", async () => {
    server.requests.length = 0;
    const none = await install("gradle", "8.14", "", join(dir, "none"));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no sha256 checksum for gradle 8.14: pass --build-arg GRADLE_SHA256=<the published sha256 of");
    const short = await install("gradle", "8.14", "abc", join(dir, "none"));
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("GRADLE_SHA256 must be 64 hex digits");
    const tool = await install("ant", "1.10", sums.gradle, join(dir, "none"));
    expect(tool.code).toBe(2);
    expect(tool.stderr).toContain("the tool must be maven or gradle, not 'ant'");
    expect(server.requests).toEqual([]);
    const missing = await install("gradle", "8.13", sums.gradle, join(dir, "none"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot download");
  });
});

/** A CA certificate (and its key) made by openssl, as PEM. */
function makeCert(name: string): { pem: string; key: string } {
  const key = join(work, `${name}.key`);
  const crt = join(work, `${name}.crt`);
  const r = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt, "-subj", `/CN=${name}`, "-days", "2"],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  return { pem: readFileSync(crt, "utf8"), key: readFileSync(key, "utf8") };
}

/** The aliases in a keystore, by keytool -list. */
function aliases(cacerts: string): string[] {
  const r = spawnSync("keytool", ["-list", "-keystore", cacerts, "-storepass", "changeit"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`keytool -list ${cacerts}: ${r.stderr}${r.stdout}`);
  return [...r.stdout.matchAll(/^([^,\s]+), .*trustedCertEntry/gm)].map((m) => m[1] as string).sort();
}

const haveTools = ["keytool", "openssl"].every((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status === 0);

describe.skipIf(!haveTools)("docker/import-ca-certs.sh and docker/entrypoint.sh with a real keytool on temporary JDK trust stores", () => {
  const root = join(work, "ca");
  const jvm = join(root, "jvm");
  const bin = join(root, "bin");
  const system = join(root, "system-bundle.crt");
  const extra = join(root, "etc", "ca-certs.pem");
  const stores = { jdk17: join(jvm, "jdk17", "lib", "security", "cacerts"), jdk8: join(jvm, "jdk8", "jre", "lib", "security", "cacerts") };
  let corp: { pem: string; key: string };
  let issuing: { pem: string; key: string };
  let runtimeCa: { pem: string; key: string };
  const env = (extraEnv: Record<string, string> = {}) => ({
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: join(root, "home"),
    MASS_INGEST_JVM_ROOT: jvm,
    MASS_INGEST_SYSTEM_CA_BUNDLE: system,
    MASS_INGEST_EXTRA_CA: extra,
    MASS_INGEST_CA_ANCHORS: join(root, "anchors"),
    ...extraEnv,
  });

  beforeAll(() => {
    mkdirSync(bin, { recursive: true });
    const publicCa = makeCert("Public Root");
    corp = makeCert("Corp Root");
    issuing = makeCert("Corp Issuing");
    runtimeCa = makeCert("Runtime Root");
    writeFileSync(system, publicCa.pem);
    // A JDK 17 layout (PKCS12) and a JDK 8 layout (jre/, JKS), each trusting one public root.
    for (const [store, type] of [
      [stores.jdk17, "PKCS12"],
      [stores.jdk8, "JKS"],
    ] as const) {
      mkdirSync(join(store, ".."), { recursive: true });
      const r = spawnSync(
        "keytool",
        ["-importcert", "-noprompt", "-alias", "public", "-file", system, "-keystore", store, "-storepass", "changeit", "-storetype", type],
        { encoding: "utf8" },
      );
      expect(r.status, r.stderr).toBe(0);
    }
    // Stand-ins for what only exists in the image: the distribution's store update and the Moderne CLI.
    writeFileSync(
      join(bin, "update-ca-certificates"),
      `#!/bin/sh\nls "${join(root, "anchors")}" > "${join(root, "update-ca-certificates.log")}"\n`,
      { mode: 0o755 },
    );
    writeFileSync(join(bin, "mod"), `#!/bin/sh\necho "mod $*" >> "${join(root, "mod.log")}"\n`, { mode: 0o755 });
    for (const app of [PROCESSOR_BIN, CHUNKER_BIN])
      writeFileSync(
        join(bin, app),
        `#!/bin/sh\necho "${app} $*"\nfor v in SSL_CERT_FILE GIT_SSL_CAINFO CURL_CA_BUNDLE NODE_EXTRA_CA_CERTS PUBLISH_CA_FILE MODERNE_OPTS; do eval "echo $v=\\\${$v:-}"; done\n`,
        { mode: 0o755 },
      );
  });

  it("build: a bundle and a single certificate from the certs folder go to the system store and into every JDK's cacerts", () => {
    const certs = join(root, "certs");
    mkdirSync(certs);
    writeFileSync(join(certs, "corp-chain.crt"), (corp.pem + issuing.pem).replace(/\n/g, "\r\n"));
    writeFileSync(join(certs, "README.md"), "not a certificate\n");
    const r = bash(docker("import-ca-certs.sh"), ["build", certs], env());
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(root, "update-ca-certificates.log"), "utf8").trim().split("\n")).toEqual([
      "mass-ingest-corp-chain-1.crt",
      "mass-ingest-corp-chain-2.crt",
    ]);
    for (const store of Object.values(stores)) {
      const names = aliases(store);
      expect(names, store).toHaveLength(3);
      expect(
        names.filter((a) => a.startsWith("mass-ingest-")),
        store,
      ).toHaveLength(2);
    }
    expect(readFileSync(extra, "utf8").match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    // Twice is the same as once: one alias per certificate.
    rmSync(extra);
    expect(bash(docker("import-ca-certs.sh"), ["build", certs], env()).status).toBe(0);
    expect(aliases(stores.jdk8)).toHaveLength(3);
  });

  it("build: an empty certs folder is fine; a private key stops the build", () => {
    const empty = join(root, "empty-certs");
    mkdirSync(empty);
    writeFileSync(join(empty, "README.md"), "keep\n");
    const r = bash(docker("import-ca-certs.sh"), ["build", empty], env({ MASS_INGEST_EXTRA_CA: join(root, "empty-extra.pem") }));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("no certificates");
    const keyed = join(root, "keyed");
    mkdirSync(keyed);
    writeFileSync(join(keyed, "oops.crt"), corp.pem + corp.key);
    const bad = bash(docker("import-ca-certs.sh"), ["build", keyed], env());
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("oops.crt holds a private key; give certificates only");
  });

  it("entrypoint: CA_CERTS as PEM text is trusted by the JDKs, git, curl, Node and the uploads; the CLI is reconfigured", () => {
    rmSync(join(root, "mod.log"), { force: true });
    const r = spawnSync(docker("entrypoint.sh"), [PROCESSOR_BIN, "repos.csv", "--start", "1"], {
      env: env({ CA_CERTS: runtimeCa.pem, MOD_JAVA_OPTIONS: "-Xmx6g -Xss3m", MODERNE_JAVA_HOME: "/opt/jdk25" }),
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const dir = join(root, "home", ".mass-ingest", "ca");
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`${PROCESSOR_BIN} repos.csv --start 1`);
    for (const v of ["SSL_CERT_FILE", "GIT_SSL_CAINFO", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"])
      expect(lines).toContain(`${v}=${join(dir, "ca-bundle.pem")}`);
    expect(lines).toContain(`PUBLISH_CA_FILE=${join(dir, "extra-ca.pem")}`);
    // The bundle is the system store plus the new CA; the uploads' file the image's extra CAs plus the new CA.
    expect(readFileSync(join(dir, "ca-bundle.pem"), "utf8")).toBe(readFileSync(system, "utf8") + runtimeCa.pem);
    expect(readFileSync(join(dir, "extra-ca.pem"), "utf8")).toBe(readFileSync(extra, "utf8") + runtimeCa.pem);
    for (const store of Object.values(stores)) expect(aliases(store), store).toHaveLength(4);
    expect(readFileSync(join(root, "mod.log"), "utf8").trim().split("\n")).toEqual([
      "mod config http trust-store edit file /opt/jdk25/lib/security/cacerts",
    ]);
    expect(lines).toContain("MODERNE_OPTS=-Xmx6g -Xss3m");
    // The PEM is verifiable with the bundle, as curl and git would verify a server it signed.
    const verify = spawnSync("openssl", ["verify", "-CAfile", join(dir, "ca-bundle.pem"), join(work, "Runtime Root.crt")], {
      encoding: "utf8",
    });
    expect(verify.status, verify.stderr).toBe(0);
  });

  it("entrypoint: the chunker gets the certificates but no CLI configuration; a set PUBLISH_CA_FILE is kept", () => {
    rmSync(join(root, "mod.log"), { force: true });
    const pem = join(root, "runtime.pem");
    writeFileSync(pem, runtimeCa.pem);
    const r = spawnSync(docker("entrypoint.sh"), [CHUNKER_BIN, "submit", "x.csv"], {
      env: env({ CA_CERTS: pem, PUBLISH_CA_FILE: "/etc/mine.pem", MOD_JAVA_OPTIONS: "-Xmx1g" }),
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${CHUNKER_BIN} submit x.csv`);
    expect(r.stdout).toContain("PUBLISH_CA_FILE=/etc/mine.pem");
    expect(existsSync(join(root, "mod.log"))).toBe(false);
  });

  it("entrypoint: without CA_CERTS it only execs; MOD_JAVA_OPTIONS alone becomes MODERNE_OPTS, no CLI call", () => {
    rmSync(join(root, "mod.log"), { force: true });
    const plain = spawnSync(docker("entrypoint.sh"), [PROCESSOR_BIN, "--help"], { env: env(), encoding: "utf8" });
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain("SSL_CERT_FILE=\n");
    expect(existsSync(join(root, "mod.log"))).toBe(false);
    const opts = spawnSync(docker("entrypoint.sh"), [PROCESSOR_BIN, "--help"], {
      env: env({ MOD_JAVA_OPTIONS: "-Xmx3g" }),
      encoding: "utf8",
    });
    expect(opts.status, opts.stderr).toBe(0);
    expect(opts.stdout).toContain("MODERNE_OPTS=-Xmx3g\n");
    expect(existsSync(join(root, "mod.log"))).toBe(false);
  });

  it("entrypoint: an unusable CA_CERTS or a failing CLI stops the container before the app starts", () => {
    const missing = spawnSync(docker("entrypoint.sh"), [PROCESSOR_BIN], { env: env({ CA_CERTS: "/no/such.pem" }), encoding: "utf8" });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("CA_CERTS is neither PEM text (-----BEGIN CERTIFICATE-----) nor an existing path: /no/such.pem");
    expect(missing.stdout).toBe("");
    const empty = join(root, "empty.pem");
    writeFileSync(empty, "nothing here\n");
    const none = spawnSync(docker("entrypoint.sh"), [PROCESSOR_BIN], { env: env({ CA_CERTS: empty }), encoding: "utf8" });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("holds no PEM certificate");
    const failing = join(root, "failing-bin");
    mkdirSync(failing);
    writeFileSync(join(failing, "mod"), "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    const cli = spawnSync(docker("entrypoint.sh"), [PROCESSOR_BIN], {
      env: env({ MOD_CLI: join(failing, "mod"), CA_CERTS: runtimeCa.pem, MODERNE_JAVA_HOME: "/opt/jdk25" }),
      encoding: "utf8",
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain("config http trust-store edit file /opt/jdk25/lib/security/cacerts` failed (exit 3)");
    expect(cli.stdout).toBe("");
  });

  it.skipIf(process.getuid?.() === 0)("runtime: a trust store the user cannot write is an error that says what to do", () => {
    chmodSync(stores.jdk8, 0o444);
    try {
      const r = bash(docker("import-ca-certs.sh"), ["runtime", join(work, "Runtime Root.crt"), join(root, "ro")], env());
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("run as the image's mass-ingest user (uid 10001)");
    } finally {
      chmodSync(stores.jdk8, 0o644);
    }
  });
});

describe("docker/bump-digests.sh with a stand-in crane", () => {
  const dir = join(work, "bump");
  const digestOf = (ref: string, round: number) => `sha256:${(round.toString() + ref.length.toString(16)).padEnd(64, "a")}`;

  const run = (args: readonly string[], round: number) => {
    const bin = join(dir, `bin${round}`);
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, "crane"),
      `#!/bin/sh\n[ "$1" = digest ] || exit 9\nref=$2\nprintf 'sha256:%s' "$(printf '%s%x' ${round} \${#ref} | sed -e :a -e 's/^.\\{1,63\\}$/&a/;ta')"\n`,
      { mode: 0o755 },
    );
    return bash(docker("bump-digests.sh"), args, { PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}` });
  };

  it("pins every base image of both Dockerfiles to a digest, keeps the tag, moves on the next run; --check tells", () => {
    mkdirSync(dir, { recursive: true });
    const files = ["Dockerfile", "Dockerfile.fips"].map((name) => {
      const copy = join(dir, name);
      copyFileSync(docker(name), copy);
      return copy;
    });
    const unpinned = bash(docker("bump-digests.sh"), ["--check", ...files], {});
    const before = [main, fips].flatMap((f) =>
      [...f.args].filter(([name, value]) => name.endsWith("_IMAGE") && !value.includes("@sha256:")),
    );
    expect(unpinned.status).toBe(before.length > 0 ? 1 : 0);

    for (const round of [1, 2]) {
      const r = run(files, round);
      expect(r.status, r.stderr).toBe(0);
      for (const [i, file] of files.entries()) {
        const original = [main, fips][i] as typeof main;
        const text = readFileSync(file, "utf8");
        for (const [name, value] of original.args) {
          if (!name.endsWith("_IMAGE")) continue;
          const tag = value.split("@")[0] as string;
          expect(text, `${name} round ${round}`).toContain(`ARG ${name}=${tag}@${digestOf(tag, round)}\n`);
        }
        // Nothing else changed.
        expect(text.replace(/@sha256:[0-9a-f]{64}/g, "")).toBe(original.text.replace(/@sha256:[0-9a-f]{64}/g, ""));
      }
    }
    expect(bash(docker("bump-digests.sh"), ["--check", ...files], {}).status).toBe(0);

    // Without crane: `docker buildx imagetools inspect`, whose JSON names the index digest before its manifests'.
    const bin = join(dir, "bin-buildx");
    mkdirSync(bin, { recursive: true });
    const index = "1".repeat(64);
    writeFileSync(
      join(bin, "docker"),
      `#!/bin/sh
[ "$1 $2 $3" = "buildx imagetools inspect" ] || exit 9
printf '{"schemaVersion":2,"digest":"sha256:${index}","manifests":[{"digest":"sha256:${"2".repeat(64)}"}]}'
`,
      { mode: 0o755 },
    );
    const buildx = bash(docker("bump-digests.sh"), [files[0] as string], {
      PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      DIGEST_TOOL: "buildx",
    });
    expect(buildx.status, buildx.stderr).toBe(0);
    expect(readFileSync(files[0] as string, "utf8")).toContain(`ARG UBUNTU_IMAGE=ubuntu:24.04@sha256:${index}\n`);
    const unknown = bash(docker("bump-digests.sh"), [files[0] as string], { DIGEST_TOOL: "skopeo" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("DIGEST_TOOL must be crane or buildx, not 'skopeo'");
  });
});
