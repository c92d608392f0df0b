import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CAPABILITIES_FILE } from "../src/cli/capabilities.js";
import { configurePlan, ModCapabilities, parseCliVersion, parseHelpOptions, PipelineError, probeCapabilities } from "../src/index.js";
import { requireRunCalls, runProbes } from "../src/cli/run-calls.js";
import { CLI_46, FakeCli, helpText } from "./cli-fakes.js";
import { tmp } from "./helpers.js";

describe("parseCliVersion / parseHelpOptions", () => {
  it("finds x.y.z loosely in the banner", () => {
    expect(parseCliVersion("Moderne CLI 4.6.3\n")).toBe("4.6.3");
    expect(parseCliVersion("mod version v4.9.2 (build 123)")).toBe("4.9.2");
    expect(parseCliVersion("Moderne CLI dev-SNAPSHOT")).toBeUndefined();
    expect(new ModCapabilities(undefined, "Moderne CLI dev-SNAPSHOT", {}).versionWarning).toContain("dev-SNAPSHOT");
    expect(new ModCapabilities("4.6.3", "Moderne CLI 4.6.3", {}).versionWarning).toBeUndefined();
  });

  it("reads options from the synopsis and option lines, not from the prose", () => {
    const text = helpText("build", ["--dry-run", "--full"], "Builds LSTs. The old --no-download flag is described here.");
    expect(parseHelpOptions(text)).toEqual(["--dry-run", "--full", "--help"]);
    const wrapped = [
      "Usage: mod publish [-h] [--trace-tag=<key=value>]...",
      "       <path>",
      "",
      "      --trace-tag=<key=value>",
      "  -h, --help",
    ].join("\n");
    expect(parseHelpOptions(wrapped)).toEqual(["--help", "--trace-tag"]);
  });
});

describe("probeCapabilities", () => {
  it("probes each command once per CLI version and caches the answers in the data directory", async () => {
    const dataDir = await tmp("caps-");
    const cli = new FakeCli("Moderne CLI 4.6.3", CLI_46);
    const caps = await probeCapabilities(cli, ["build", "config lsts artifacts maven add", "config lsts artifacts nope add"], { dataDir });
    expect(caps.version).toBe("4.6.3");
    expect(caps.has("build", "--full")).toBe(true);
    expect(caps.has("build", "--no-download")).toBe(false);
    expect(caps.has("config lsts artifacts nope add")).toBe(false);
    expect(cli.calls.map((c) => c.args.join(" "))).toEqual([
      "--version",
      "build --help",
      "config lsts artifacts maven add --help",
      "config lsts artifacts nope add --help",
    ]);
    const cache = JSON.parse(await readFile(path.join(dataDir, CAPABILITIES_FILE), "utf8"));
    expect(Object.keys(cache.cli)).toEqual(["4.6.3"]);
    const again = new FakeCli("Moderne CLI 4.6.3", CLI_46);
    expect((await probeCapabilities(again, ["build", "publish"], { dataDir })).has("publish", "--trace-tag")).toBe(true);
    expect(again.calls.map((c) => c.args.join(" "))).toEqual(["--version", "publish --help"]);
    const other = new FakeCli("Moderne CLI 4.7.0", CLI_46);
    await probeCapabilities(other, ["build"], { dataDir });
    expect(other.calls.map((c) => c.args.join(" "))).toEqual(["--version", "build --help"]);
  });

  it("fails with MOD_CLI_UNAVAILABLE when `mod --version` fails", async () => {
    const cli = new FakeCli("x", {});
    cli.run = async (args) => ({
      exitCode: 1,
      timedOut: false,
      aborted: false,
      durationMs: 1,
      commandLine: `mod ${args.join(" ")}`,
      outputTail: "no java",
    });
    await expect(probeCapabilities(cli, [])).rejects.toMatchObject({ code: "MOD_CLI_UNAVAILABLE", exitCode: 2 });
  });
});

describe("requirements (exit 2 before any repository, naming version, command and option)", () => {
  const caps46 = (overrides: Record<string, readonly string[] | undefined> = {}) => {
    const commands: Record<string, { available: boolean; options: string[] }> = {};
    for (const [c, o] of Object.entries({ ...CLI_46, ...overrides })) if (o) commands[c] = { available: true, options: [...o, "--help"] };
    return new ModCapabilities("4.6.3", "Moderne CLI 4.6.3", commands);
  };

  it("accepts the 4.6 reference for every call of a run", () => {
    expect(runProbes({ publish: true, monitor: true })).toContain("monitor");
    expect(() => requireRunCalls(caps46(), { publish: true, monitor: true })).not.toThrow();
  });

  it("names the version, the command and the option that is missing", () => {
    const caps = caps46({ "git sync csv": ["--with-lsts"] });
    try {
      requireRunCalls(caps, { publish: false, monitor: false });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PipelineError);
      expect(error).toMatchObject({ code: "MOD_CLI_INCAPABLE", exitCode: 2 });
      expect((error as Error).message).toContain("Moderne CLI 4.6.3");
      expect((error as Error).message).toContain("`mod git sync csv` has no --with-sources option");
      expect((error as PipelineError).hint).toBeTruthy();
    }
    expect(() =>
      configurePlan({ publish: { url: "s3://b/p", s3Endpoint: "http://h" } }, caps46({ "config lsts artifacts s3 edit": ["--region"] })),
    ).toThrow(/`mod config lsts artifacts s3 edit` has no --endpoint-url option/);
  });

  it("prefers the current forms and falls back to the deprecated ones only when absent", () => {
    const tenant = { tenant: "https://t.example", token: "tok-123456" };
    const publish = { url: "https://r.example/m", user: "u", password: "pw-123456" };
    const plan = configurePlan({ tenant, publish }, caps46());
    expect(plan.calls.map((c) => c.args.slice(0, 5).join(" "))).toEqual([
      "config moderne edit https://t.example",
      "config moderne login --with-token",
      "config lsts artifacts maven add",
    ]);
    expect(plan.calls[1]!.input).toBe("tok-123456\n");
    const old = configurePlan(
      { tenant, publish },
      caps46({ "config moderne login": undefined, "config lsts artifacts maven add": undefined }),
    );
    expect(old.calls.map((c) => c.args.slice(0, 5).join(" "))).toEqual([
      "config moderne edit --token=tok-123456 https://t.example",
      "config lsts artifacts maven edit",
    ]);
    expect(old.warnings).toHaveLength(2);
    expect(configurePlan({ publish: { url: "s3://b/p", s3Endpoint: "http://h:9", s3Region: "r" } }, caps46()).calls[0]!.args).toEqual([
      "config",
      "lsts",
      "artifacts",
      "s3",
      "edit",
      "s3://b/p",
      "--endpoint-url",
      "http://h:9",
      "--region",
      "r",
    ]);
  });

  it("from 4.8 gives the store's credentials to `mod publish` by environment, not by argv", () => {
    const caps = new ModCapabilities("4.9.2", "Moderne CLI 4.9.2", caps46().commands);
    const maven = configurePlan({ publish: { url: "https://r.example/m", user: "u", password: "pw-123456" } }, caps);
    expect(maven.calls).toEqual([]);
    expect(maven.publishEnv).toEqual({
      MOD_LSTS_ARTIFACTS_MAVEN_0_URL: "https://r.example/m",
      MOD_LSTS_ARTIFACTS_MAVEN_0_AUTHORIZATION: `Basic ${Buffer.from("u:pw-123456").toString("base64")}`,
    });
    expect(maven.secrets).toContain(Buffer.from("u:pw-123456").toString("base64"));
    const af = configurePlan({ publish: { url: "https://r.example/a", token: "jf-123456" } }, caps);
    expect(af.calls).toEqual([]);
    expect(af.publishEnv.MOD_LSTS_ARTIFACTS_ARTIFACTORY_0_JFROGAPITOKEN).toBe("jf-123456");
  });

  it("passes JVM options through MODERNE_OPTS when the CLI has no `config java options edit`", () => {
    expect(configurePlan({ javaOptions: "-Xmx4g" }, caps46()).env).toEqual({ MODERNE_OPTS: "-Xmx4g" });
    expect(configurePlan({ javaOptions: "-Xmx4g" }, caps46({ "config java options edit": [] })).calls[0]!.args).toEqual([
      "config",
      "java",
      "options",
      "edit",
      "-Xmx4g",
    ]);
  });
});
