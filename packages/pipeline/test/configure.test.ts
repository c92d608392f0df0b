import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModStandIn, type ModStandIn } from "@mass-ingest/testkit/mod-standin";
import { Redactor } from "@mass-ingest/core";
import { chooseArtifactStore, configureMod, ExecaModCli, PipelineError } from "../src/index.js";

let standIn: ModStandIn;
beforeAll(() => {
  standIn = createModStandIn();
});
afterAll(() => standIn.cleanup());

const secrets = { password: "maven-pass-8c1d", token: "jfrog-tok-77aa", tenantToken: "tenant-tok-55bb" };
const cli = () =>
  new ExecaModCli({ command: standIn.command, env: { ...process.env, ...standIn.env }, redactor: new Redactor(Object.values(secrets)) });

describe("chooseArtifactStore (order of choice of docs/moderne-cli.md)", () => {
  it("s3:// wins, then user+password (maven), then token (artifactory), else none", () => {
    expect(chooseArtifactStore({ url: "s3://b/p", user: "u", password: "p", token: "t" })).toBe("s3");
    expect(chooseArtifactStore({ url: "https://r", user: "u", password: "p", token: "t" })).toBe("maven");
    expect(chooseArtifactStore({ url: "https://r", user: "u", token: "t" })).toBe("artifactory");
    expect(chooseArtifactStore({ url: "https://r" })).toBeUndefined();
    expect(chooseArtifactStore({})).toBeUndefined();
  });
});

describe("configureMod", () => {
  it("CLI 4.8+: tenant token on stdin, maven credentials only in mod publish's environment, no secret in argv", async () => {
    standIn.reset();
    const redactor = new Redactor(Object.values(secrets));
    const runner = new ExecaModCli({ command: standIn.command, env: { ...process.env, ...standIn.env }, redactor });
    const result = await configureMod(
      runner,
      {
        tenant: { tenant: "https://app.example.invalid", token: secrets.tenantToken },
        publish: { url: "http://127.0.0.1:9/maven", user: "deployer", password: secrets.password },
      },
      { redactor },
    );
    expect(result.store).toBe("maven");
    expect(result.capabilities.version).toMatch(/^4\./);
    expect((await standIn.cliConfig()).moderne).toMatchObject({ tenant: "https://app.example.invalid", token: secrets.tenantToken });
    const basic = `Basic ${Buffer.from(`deployer:${secrets.password}`).toString("base64")}`;
    expect(result.publishEnv).toEqual({
      MOD_LSTS_ARTIFACTS_MAVEN_0_URL: "http://127.0.0.1:9/maven",
      MOD_LSTS_ARTIFACTS_MAVEN_0_AUTHORIZATION: basic,
    });
    expect(redactor.redact(basic)).toBe("***");
    const argv = (await standIn.calls()).map((c) => c.argv.join(" ")).join("\n");
    for (const s of [...Object.values(secrets), basic.slice(6)]) expect(argv).not.toContain(s);
    expect(argv).toContain("config moderne login --with-token");
    expect((await standIn.calls()).filter((c) => c.exitCode === 2)).toEqual([]);
  });

  it("CLI 4.6: configures the tenant and a maven store with `maven add`, logging every command redacted", async () => {
    standIn.reset();
    standIn.setConfig({ version: "4.6.3" });
    try {
      const result = await configureMod(cli(), {
        tenant: { tenant: "https://app.example.invalid", token: secrets.tenantToken },
        publish: { url: "http://127.0.0.1:9/maven", user: "deployer", password: secrets.password },
      });
      expect(result.store).toBe("maven");
      expect((await standIn.cliConfig()).artifacts).toMatchObject({ type: "maven", url: "http://127.0.0.1:9/maven", user: "deployer" });
      expect(result.commands).toHaveLength(3);
      const text = result.commands.join("\n");
      for (const s of Object.values(secrets)) expect(text).not.toContain(s);
      expect(text).toContain("config lsts artifacts maven add");
      expect(text).toContain("--password ***");
      expect(text).not.toContain("--token");
    } finally {
      standIn.setConfig({});
    }
  });

  it("sets the CLI's JVM options from MOD_JAVA_OPTIONS first, as one argument", async () => {
    standIn.reset();
    const result = await configureMod(cli(), { javaOptions: " -Xmx4g -Xss3m " });
    expect(result.store).toBeUndefined();
    expect(await standIn.cliConfig()).toEqual({ javaOptions: "-Xmx4g -Xss3m" });
    expect(result.commands).toEqual([expect.stringMatching(/ config java options edit '-Xmx4g -Xss3m'$/)]);
    standIn.reset();
    expect((await configureMod(cli(), { javaOptions: "  " })).commands).toEqual([]);
  });

  it("configures artifactory (4.6: `artifactory add`) and s3 with --endpoint-url/profile/region", async () => {
    standIn.reset();
    standIn.setConfig({ version: "4.6.3" });
    try {
      expect((await configureMod(cli(), { publish: { url: "http://127.0.0.1:9/af", token: secrets.token } })).store).toBe("artifactory");
      expect((await standIn.cliConfig()).artifacts).toMatchObject({
        type: "artifactory",
        url: "http://127.0.0.1:9/af",
        token: secrets.token,
      });
    } finally {
      standIn.setConfig({});
    }
    const s3 = await configureMod(cli(), {
      publish: { url: "s3://bucket/lsts", s3Endpoint: "http://127.0.0.1:9", s3Profile: "p1", s3Region: "eu-west-1" },
    });
    expect(s3.store).toBe("s3");
    expect((await standIn.cliConfig()).artifacts).toMatchObject({
      type: "s3",
      url: "s3://bucket/lsts",
      endpoint: "http://127.0.0.1:9",
      profile: "p1",
      region: "eu-west-1",
    });
    expect((await standIn.calls()).filter((c) => c.exitCode === 2)).toEqual([]);
  });

  it("runs nothing without a PUBLISH_URL and rejects a URL without credentials", async () => {
    standIn.reset();
    expect((await configureMod(cli(), {})).store).toBeUndefined();
    expect(await standIn.calls()).toHaveLength(0);
    await expect(configureMod(cli(), { publish: { url: "https://repo.example.invalid" } })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
    });
    await expect(configureMod(cli(), { tenant: { tenant: "t" } })).rejects.toBeInstanceOf(PipelineError);
  });

  it("turns a failing config call into CONFIGURE_FAILED without the secret", async () => {
    standIn.reset();
    standIn.setConfig({ version: "4.6.3", exitCodes: { config: 3 } });
    try {
      await configureMod(cli(), { publish: { url: "http://127.0.0.1:9/m", user: "u", password: secrets.password } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PipelineError);
      expect((error as PipelineError).code).toBe("CONFIGURE_FAILED");
      expect((error as Error).message).not.toContain(secrets.password);
      expect((error as PipelineError).hint).toBeTruthy();
    } finally {
      standIn.setConfig({});
    }
  });
});
