import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort, waitForPort } from "@mass-ingest/testkit/ports";
import { killGroup } from "@mass-ingest/testkit/process";
import { ConsumerCheckError } from "./run.js";
import { rootModule } from "./workspace.js";

export interface LocalRegistry {
  /** e.g. "http://127.0.0.1:41234/" (trailing slash, as npm writes it). */
  url: string;
  /** `//127.0.0.1:41234/:_authToken=…` line for a publisher's .npmrc. Secret: never log it. */
  authLine: string;
  /** What verdaccio printed so far (for error messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Folder for config, htpasswd and storage (the caller creates and removes it). */
  dir: string;
  /** Package patterns that exist ONLY here (never proxied), e.g. "@mass-ingest/*". */
  localScopes: readonly string[];
  /** Where everything else comes from; default the public npm registry. */
  uplink?: string;
}

/**
 * verdaccio laid out like a company registry: `localScopes` are local-only (published here, never looked up
 * upstream, so a same-named public package can never shadow ours); every other package is proxied from the
 * uplink. Anyone may read; publishing needs a user, which we create over the registry API.
 */
export function verdaccioConfig(options: { storage: string; htpasswd: string; localScopes: readonly string[]; uplink: string }): string {
  const local = options.localScopes
    .map((scope) => `  '${scope}':\n    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n`)
    .join("");
  return [
    `storage: ${JSON.stringify(options.storage)}`,
    "auth:",
    "  htpasswd:",
    `    file: ${JSON.stringify(options.htpasswd)}`,
    "    max_users: 1",
    // JWT tokens: verdaccio's legacy tokens re-run bcrypt on every request (hundreds of ms each).
    "security:",
    "  api:",
    "    jwt:",
    "      sign:",
    "        expiresIn: 1h",
    "uplinks:",
    "  upstream:",
    `    url: ${JSON.stringify(options.uplink)}`,
    "    timeout: 60s",
    "    max_fails: 5",
    "    fail_timeout: 1m",
    "packages:",
    local.trimEnd(),
    "  '**':",
    "    access: $all",
    "    publish: $authenticated",
    "    proxy: upstream",
    "server:",
    "  keepAliveTimeout: 60",
    "log: { type: stdout, format: pretty, level: warn }",
    "",
  ].join("\n");
}

/** Start verdaccio (from the workspace root's devDependencies) on a free loopback port and create a publisher. */
export async function startRegistry(options: RegistryOptions): Promise<LocalRegistry> {
  const storage = join(options.dir, "storage");
  const htpasswd = join(options.dir, "htpasswd");
  const configPath = join(options.dir, "config.yaml");
  await mkdir(storage, { recursive: true });
  await writeFile(
    configPath,
    verdaccioConfig({ storage, htpasswd, localScopes: options.localScopes, uplink: options.uplink ?? "https://registry.npmjs.org/" }),
  );
  const bin = join(rootModule("verdaccio"), "bin", "verdaccio");

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [bin, "--config", configPath, "--listen", `127.0.0.1:${port}`], {
      cwd: options.dir,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    let log = "";
    const append = (d: Buffer) => {
      log = (log + d.toString()).slice(-20_000);
    };
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code) => reject(new ConsumerCheckError("REGISTRY_EXITED", `verdaccio exited ${code}`, { output: log }))),
    );
    exited.catch(() => undefined);
    const stop = () => killGroup(child, 5_000);
    try {
      await Promise.race([waitForPort(port, "127.0.0.1", 60_000), exited]);
      const url = `http://127.0.0.1:${port}/`;
      const token = await addUser(url);
      return { url, authLine: `//127.0.0.1:${port}/:_authToken=${token}`, log: () => log, stop };
    } catch (error) {
      lastError = error;
      await stop();
    }
  }
  throw lastError;
}

/** Create the one publisher over the CouchDB-style user API npm itself uses (`npm adduser`); returns its token. */
async function addUser(url: string): Promise<string> {
  const name = "consumer-test";
  const password = randomBytes(18).toString("base64url");
  const res = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: "user", roles: [] }),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string; error?: string };
  if (!res.ok || !body.token) {
    throw new ConsumerCheckError(
      "REGISTRY_ADDUSER_FAILED",
      `verdaccio refused to create user "${name}": HTTP ${res.status} ${body.error ?? ""}`,
    );
  }
  return body.token;
}
