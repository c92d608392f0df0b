import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy } from "../src/fault-proxy.js";
import { createModStandIn } from "../src/mod-standin.js";
import { startNginx, type Nginx } from "../src/nginx.js";

const exec = promisify(execFile);

const basic = (user: string, password: string) => "Basic " + Buffer.from(`${user}:${password}`).toString("base64");

describe("startNginx", () => {
  let nginx: Nginx;
  beforeAll(async () => {
    nginx = await startNginx({ bearerToken: "bearer-test-token" });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it("accepts PUT with basic auth into nested folders and serves the file back", async () => {
    const auth = basic(nginx.user, nginx.password);
    const target = `${nginx.url}/io/moderne/ingest-log/1-5/202611291800/ingest-log-cli-202611291800-1-5.zip`;
    const put = await fetch(target, { method: "PUT", headers: { authorization: auth }, body: "zip bytes" });
    expect(put.status).toBe(201);
    expect(
      await readFile(path.join(nginx.root, "io/moderne/ingest-log/1-5/202611291800/ingest-log-cli-202611291800-1-5.zip"), "utf8"),
    ).toBe("zip bytes");
    const get = await fetch(target, { headers: { authorization: auth } });
    expect(get.status).toBe(200);
    expect(await get.text()).toBe("zip bytes");
  });

  it("answers 401 without or with wrong credentials and stores nothing", async () => {
    const none = await fetch(`${nginx.url}/denied/a.txt`, { method: "PUT", body: "x" });
    expect(none.status).toBe(401);
    const wrong = await fetch(`${nginx.url}/denied/a.txt`, {
      method: "PUT",
      headers: { authorization: basic(nginx.user, "nope") },
      body: "x",
    });
    expect(wrong.status).toBe(401);
    await expect(readFile(path.join(nginx.root, "denied/a.txt"))).rejects.toThrow();
  });

  it("serves the same root on a token port (bearer or X-JFrog-Art-Api)", async () => {
    expect(nginx.bearerUrl).toBeDefined();
    const denied = await fetch(`${nginx.bearerUrl}/b/file.txt`, { method: "PUT", body: "b", headers: { authorization: "Bearer wrong" } });
    expect(denied.status).toBe(401);
    const put = await fetch(`${nginx.bearerUrl}/b/file.txt`, {
      method: "PUT",
      body: "b",
      headers: { authorization: `Bearer ${nginx.bearerToken}` },
    });
    expect(put.status).toBe(201);
    expect(await readFile(path.join(nginx.root, "b/file.txt"), "utf8")).toBe("b");
    const jfrog = await fetch(`${nginx.bearerUrl}/b/jfrog.txt`, {
      method: "PUT",
      body: "j",
      headers: { "x-jfrog-art-api": nginx.bearerToken! },
    });
    expect(jfrog.status).toBe(201);
    const basicOnTokenPort = await fetch(`${nginx.bearerUrl}/b/basic.txt`, {
      method: "PUT",
      body: "x",
      headers: { authorization: basic(nginx.user, nginx.password) },
    });
    expect(basicOnTokenPort.status).toBe(401);
  });

  it("fault proxy answers 503 to the first requests, then forwards bodies", async () => {
    const proxy = await startFaultProxy(nginx.url, { failFirst: 2 });
    try {
      const auth = basic(nginx.user, nginx.password);
      const put = () => fetch(`${proxy.url}/retry/x.bin`, { method: "PUT", headers: { authorization: auth }, body: "payload" });
      expect((await put()).status).toBe(503);
      expect((await put()).status).toBe(503);
      expect((await put()).status).toBe(201);
      expect(proxy.requests()).toBe(3);
      expect(proxy.failed()).toBe(2);
      expect(await readFile(path.join(nginx.root, "retry/x.bin"), "utf8")).toBe("payload");
      const unauthorized = await fetch(`${proxy.url}/retry/y.bin`, { method: "PUT", body: "payload" });
      expect(unauthorized.status).toBe(401);
      proxy.failNext(1);
      expect((await put()).status).toBe(503);
      expect(proxy.failed()).toBe(3);
    } finally {
      await proxy.stop();
    }
  });

  it("fault proxy can drop connections instead", async () => {
    const proxy = await startFaultProxy(`${nginx.url}/nested`, { failFirst: 1, reset: true });
    try {
      const auth = basic(nginx.user, nginx.password);
      const put = () => fetch(`${proxy.url}/z.bin`, { method: "PUT", headers: { authorization: auth }, body: "z" });
      await expect(put()).rejects.toThrow();
      expect((await put()).status).toBe(201);
      expect(await readFile(path.join(nginx.root, "nested/z.bin"), "utf8")).toBe("z");
    } finally {
      await proxy.stop();
    }
  });
});

describe("startNginx({ anonymousRead }) as a public Maven repository for modw", () => {
  let nginx: Nginx;
  beforeAll(async () => {
    nginx = await startNginx({ anonymousRead: true });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it("serves the stand-in as modw without credentials, but still protects writes", async () => {
    const mod = createModStandIn();
    try {
      const repo = mod.writeModwRepository(nginx.root, "3.45.6");
      const metadata = await (await fetch(`${nginx.url}/${repo.metadataPath}`)).text();
      expect(metadata).toContain("<release>3.45.6</release>");
      const wrapper = await fetch(`${nginx.url}/${repo.wrapperPath}`);
      expect(wrapper.status).toBe(200);
      const script = path.join(mod.home, "modw.sh");
      await writeFile(script, Buffer.from(await wrapper.arrayBuffer()), { mode: 0o755 });
      const env = { ...process.env };
      delete env.MOD_STANDIN_HOME;
      const { stdout } = await exec(script, ["config", "moderne", "edit", "--token=t", "tenant-x"], { env });
      expect(stdout).toContain("tenant-x");
      expect((await mod.calls()).map((c) => c.argv[1])).toEqual(["moderne"]);
      expect((await fetch(`${nginx.url}/x.txt`, { method: "PUT", body: "x" })).status).toBe(401);
    } finally {
      mod.cleanup();
    }
  });
});
