import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModStandIn, STANDIN_DEFAULT_VERSION, type ModStandIn, type StandInConfig } from "../src/mod-standin.js";
import { runProcess } from "../src/process.js";

describe("mod stand-in: the 4.x command line", () => {
  let mod: ModStandIn;
  let tmp: string;

  beforeAll(async () => {
    mod = createModStandIn();
    tmp = await mkdtemp(path.join(os.tmpdir(), "mod-standin-cli-"));
  });
  afterAll(async () => {
    mod?.cleanup();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const run = (args: string[], config: StandInConfig = {}, input?: string) => {
    mod.setConfig(config);
    return runProcess(mod.command, args, { cwd: tmp, env: { ...process.env, ...mod.env, NO_COLOR: "true", TERM: "dumb" }, input });
  };
  /** The options a `--help` lists (the left column of its option rows). */
  const helpOptions = (stdout: string) => [...stdout.matchAll(/^ {2}(?:-h, )?\s*(--[\w-]+)/gm)].map((m) => m[1]);

  it("refuses an option the reference does not list, with picocli's message, the usage and exit 2", async () => {
    const r = await run(["build", tmp, "--no-download"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("Unknown option: '--no-download'");
    expect(r.stderr).toMatch(/^Usage: mod build \[-h\]/m);
    expect(r.stdout).toBe("");
    const s3 = await run(["config", "lsts", "artifacts", "s3", "edit", "s3://b/p", "--endpoint", "http://127.0.0.1:9"]);
    expect(s3.code).toBe(2);
    expect(s3.stderr).toMatch(/^Unknown option: '--endpoint'$/m);
    const calls = await mod.calls();
    expect(calls.at(-1)).toMatchObject({
      exitCode: 2,
      command: "config lsts artifacts s3 edit",
      usageError: "Unknown option: '--endpoint'",
    });
    expect(await mod.cliConfig()).toEqual({});
  });

  it("reports missing and unmatched arguments and unknown commands like picocli", async () => {
    expect((await run(["build"])).stderr).toMatch(/^Missing required parameter: '<path>'$/m);
    expect((await run(["git", "sync", "csv", tmp])).stderr).toMatch(/^Missing required parameter: '<csv>'$/m);
    expect((await run(["publish", tmp, "extra"])).stderr).toMatch(/^Unmatched argument at index 2: 'extra'$/m);
    expect((await run(["monitor", "--port"])).stderr).toMatch(/^Missing required parameter for option '--port' \(<port>\)$/m);
    expect((await run(["frobnicate"])).stderr).toMatch(/^Unmatched argument at index 0: 'frobnicate'$/m);
    const group = await run(["config", "lsts", "artifacts"]);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/^Missing required subcommand$/m);
    expect(group.stderr).toMatch(/^ {2}maven\b/m);
    const both = await run(["log", "builds", "add", tmp, path.join(tmp, "l.zip"), "--build=1", "--last-build"]);
    expect(both.stderr).toMatch(/are mutually exclusive/);
    expect((await mod.calls()).slice(-7).map((c) => c.exitCode)).toEqual([2, 2, 2, 2, 2, 2, 2]);
  });

  it("--help lists exactly the command's options of the modelled version", async () => {
    const current = await run(["build", "--help"]);
    expect(current.code).toBe(0);
    expect(current.stdout).toMatch(/^Usage: mod build /);
    expect(helpOptions(current.stdout).sort()).toEqual(
      ["--dry-run", "--full", "--help", "--incremental", "--offline", "--parallel", "--streaming", "--trace-tag"].sort(),
    );
    const old = await run(["build", "--help"], { version: "4.2.14" });
    expect(helpOptions(old.stdout)).toContain("--no-download");
    expect(helpOptions(old.stdout)).not.toContain("--full");
    expect(helpOptions(old.stdout)).toContain("--trace-tag");
    expect(helpOptions((await run(["build", "-h"], { version: "4.2.1" })).stdout)).not.toContain("--trace-tag");
    // an older 4.x refuses an option it does not have yet
    expect((await run(["build", tmp, "--full"], { version: "4.2.14" })).stderr).toMatch(/^Unknown option: '--full'$/m);
    const publish = await run(["publish", "--help"], { version: "4.8.1" });
    expect(helpOptions(publish.stdout)).toContain("--sync-csv");
    expect(helpOptions((await run(["publish", "--help"], { version: "4.6.0" })).stdout)).not.toContain("--sync-csv");
  });

  it("keeps deprecated forms working, marks them in --help and records them", async () => {
    const maven = await run(["config", "lsts", "artifacts", "maven", "--help"]);
    expect(maven.stdout).toMatch(/^ {2}edit\s+DEPRECATED: /m);
    expect(maven.stdout).toMatch(/^ {2}add\s+Publish/m);
    expect((await run(["config", "lsts", "artifacts", "maven", "edit", "--help"])).stdout).toMatch(/^DEPRECATED: use `mod config lsts/m);
    const tenant = await run(["config", "moderne", "edit", "--help"]);
    expect(tenant.stdout).toMatch(/--token=<token>\s+\(DEPRECATED\)/);
    expect((await run(["config", "moderne", "edit", "https://t.example", "--token=tok-1"])).code).toBe(0);
    expect((await mod.calls()).at(-1)!.deprecated).toEqual(["config moderne edit --token"]);
    expect(
      (await run(["config", "lsts", "artifacts", "maven", "edit", "http://127.0.0.1:9/m", "--user", "u", "--password", "p"])).code,
    ).toBe(0);
    expect((await mod.calls()).at(-1)!.deprecated).toEqual(["config lsts artifacts maven edit"]);
    expect((await run(["config", "lsts", "artifacts", "maven", "add", "http://127.0.0.1:9/m", "--authorization", "Bearer x"])).code).toBe(
      0,
    );
    expect((await mod.calls()).at(-1)!.deprecated).toBeUndefined();
    expect((await mod.cliConfig()).artifacts).toEqual({ type: "maven", url: "http://127.0.0.1:9/m", authorization: "Bearer x" });
    // `maven add` appeared in 3.57.0
    const old = await run(["config", "lsts", "artifacts", "maven", "add", "http://127.0.0.1:9/m"], { version: "3.56.0" });
    expect(old.stderr).toMatch(/^Unmatched argument at index 4: 'add'$/m);
  });

  it("logs in with a token from stdin, and stores s3, trust-store, timeouts and the license", async () => {
    mod.reset();
    expect((await run(["config", "moderne", "login", "--with-token"], {}, "tok-2\n")).code).toBe(1); // no tenant yet
    expect((await run(["config", "moderne", "edit", "https://t.example"])).code).toBe(0);
    expect((await run(["config", "moderne", "login", "--with-token"], {}, "tok-2\n")).code).toBe(0);
    expect((await run(["config", "moderne", "login", "--with-token"], {}, "")).code).toBe(1);
    const s3 = ["config", "lsts", "artifacts", "s3", "edit", "s3://b/p", "--endpoint-url", "http://127.0.0.1:9", "--region=eu-west-1"];
    expect((await run(s3)).code).toBe(0);
    expect((await run(["config", "http", "trust-store", "edit", "file", "/etc/ssl/cacerts"])).code).toBe(0);
    expect((await run(["config", "build", "maven", "timeout", "edit", "PT45M"])).code).toBe(0);
    expect((await run(["config", "build", "gradle", "timeout", "edit", "45 minutes"])).code).toBe(2);
    expect((await run(["config", "clone", "timeout", "edit", "PT10M"])).code).toBe(0);
    expect((await run(["config", "license", "edit", "lic-1"])).code).toBe(0);
    expect((await run(["config", "java", "options", "edit", "--", "-Xmx2g"])).code).toBe(0);
    expect(await mod.cliConfig()).toEqual({
      moderne: { tenant: "https://t.example", token: "tok-2" },
      artifacts: { type: "s3", url: "s3://b/p", endpoint: "http://127.0.0.1:9", region: "eu-west-1" },
      trustStore: "/etc/ssl/cacerts",
      buildTimeouts: { maven: "PT45M" },
      cloneTimeout: "PT10M",
      license: "lic-1",
      javaOptions: "-Xmx2g",
    });
    expect((await run(["config", "http", "trust-store", "edit", "system"])).code).toBe(0);
    expect((await mod.cliConfig()).trustStore).toBe("system");
  });

  it("prints a 4.x --version banner, or a configured one verbatim", async () => {
    expect((await run(["--version"])).stdout).toBe(`Moderne CLI ${STANDIN_DEFAULT_VERSION}\n`);
    expect((await run(["--version"], { version: "4.3.0" })).stdout).toBe("Moderne CLI 4.3.0\n");
    expect((await run(["--version"], { version: "Moderne CLI 3.9.9-doctor" })).stdout).toBe("Moderne CLI 3.9.9-doctor\n");
    expect((await run(["--help"])).stdout).toMatch(/^Usage: mod \[-h\] \[--version\] \[COMMAND\]/);
  });
});
