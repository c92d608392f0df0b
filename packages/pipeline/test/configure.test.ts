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
  it("configures the tenant and a maven store, logging every command redacted", async () => {
    standIn.reset();
    const result = await configureMod(cli(), {
      tenant: { tenant: "https://app.example.invalid", token: secrets.tenantToken },
      publish: { url: "http://127.0.0.1:9/maven", user: "deployer", password: secrets.password },
    });
    expect(result.store).toBe("maven");
    expect(await standIn.cliConfig()).toEqual({
      moderne: { tenant: "https://app.example.invalid", token: secrets.tenantToken },
      artifacts: { type: "maven", url: "http://127.0.0.1:9/maven", user: "deployer", password: secrets.password },
    });
    expect(result.commands).toHaveLength(2);
    const text = result.commands.join("\n");
    for (const s of Object.values(secrets)) expect(text).not.toContain(s);
    expect(text).toContain("--password ***");
    expect(text).toContain("--token=***");
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

  it("configures artifactory with a token and s3 with endpoint/profile/region", async () => {
    standIn.reset();
    expect((await configureMod(cli(), { publish: { url: "http://127.0.0.1:9/af", token: secrets.token } })).store).toBe("artifactory");
    expect((await standIn.cliConfig()).artifacts).toEqual({ type: "artifactory", url: "http://127.0.0.1:9/af", token: secrets.token });
    const s3 = await configureMod(cli(), {
      publish: { url: "s3://bucket/lsts", s3Endpoint: "http://127.0.0.1:9", s3Profile: "p1", s3Region: "eu-west-1" },
    });
    expect(s3.store).toBe("s3");
    expect((await standIn.cliConfig()).artifacts).toEqual({
      type: "s3",
      url: "s3://bucket/lsts",
      endpoint: "http://127.0.0.1:9",
      profile: "p1",
      region: "eu-west-1",
    });
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
    standIn.setConfig({ exitCodes: { config: 3 } });
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
