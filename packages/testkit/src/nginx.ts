import { execFile, spawn, type ChildProcess } from "node:child_process";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort, waitForPort } from "./ports.js";
import { killGroup } from "./process.js";

export interface NginxOptions {
  /** Basic-auth user. Default "publisher". */
  user?: string;
  /** Basic-auth password. Default a fixed test password. */
  password?: string;
  /**
   * Also serve the same root on a second port (`bearerUrl`) that wants `Authorization: Bearer <bearerToken>`
   * or `X-JFrog-Art-Api: <bearerToken>` (Artifactory-style API token).
   */
  bearerToken?: string;
  /** Let GET/HEAD through without credentials (a public Maven repository); writes still need auth. */
  anonymousRead?: boolean;
}

export interface Nginx {
  /** http://127.0.0.1:PORT — basic auth, WebDAV PUT/MKCOL/DELETE, GET serves files. */
  url: string;
  /** Folder the uploaded files land in (PUT /a/b.zip -> `${root}/a/b.zip`). */
  root: string;
  user: string;
  password: string;
  /** http://127.0.0.1:PORT2 — same root, token auth: bearer or X-JFrog-Art-Api (only with the bearerToken option). */
  bearerUrl?: string;
  bearerToken?: string;
  stop(): Promise<void>;
}

function apr1(password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("openssl", ["passwd", "-apr1", "-stdin"], (error, stdout) =>
      error ? reject(new Error(`openssl passwd failed: ${error.message}`)) : resolve(stdout.trim()),
    );
    child.stdin!.end(password + "\n");
  });
}

/** Debian installs nginx in /usr/sbin, which is often not on a normal user's PATH. */
async function nginxBinary(): Promise<string> {
  return access("/usr/sbin/nginx").then(
    () => "/usr/sbin/nginx",
    () => "nginx",
  );
}

/**
 * Start a real nginx on loopback as a WebDAV artifact repository (HTTP PUT with basic auth), with its own
 * config, pid, logs and temp folders in a temp dir. Stop it in afterAll.
 */
export async function startNginx(options: NginxOptions = {}): Promise<Nginx> {
  if (options.bearerToken !== undefined && !/^[A-Za-z0-9._~+/=-]+$/.test(options.bearerToken)) {
    throw new Error("startNginx: bearerToken may only contain letters, digits and . _ ~ + / = -");
  }
  const user = options.user ?? "publisher";
  const password = options.password ?? "publish-secret-password";
  const dir = await mkdtemp(path.join(os.tmpdir(), "testkit-nginx-"));
  const root = path.join(dir, "root");
  await mkdir(root);
  await mkdir(path.join(dir, "tmp"));
  await writeFile(path.join(dir, "htpasswd"), `${user}:${await apr1(password)}\n`, { mode: 0o644 });
  const binary = await nginxBinary();

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const bearerPort = options.bearerToken ? await freePort() : undefined;
    await writeFile(
      path.join(dir, "nginx.conf"),
      nginxConf(dir, root, port, bearerPort, options.bearerToken, options.anonymousRead ?? false),
    );
    const child: ChildProcess = spawn(binary, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "error.log")], {
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    try {
      await Promise.race([
        Promise.all([waitForPort(port, "127.0.0.1", 15_000), bearerPort && waitForPort(bearerPort, "127.0.0.1", 15_000)]),
        new Promise((_, reject) =>
          child.once("exit", async (code) => {
            const log = await readFile(path.join(dir, "error.log"), "utf8").catch(() => "");
            reject(new Error(`nginx exited ${code}: ${stderr}${log.slice(-2000)}`));
          }),
        ),
        new Promise((_, reject) => child.once("error", reject)),
      ]);
    } catch (error) {
      lastError = error;
      await killGroup(child);
      continue;
    }
    return {
      url: `http://127.0.0.1:${port}`,
      root,
      user,
      password,
      ...(bearerPort ? { bearerUrl: `http://127.0.0.1:${bearerPort}`, bearerToken: options.bearerToken } : {}),
      async stop() {
        await killGroup(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`could not start nginx (apt-get install nginx): ${String(lastError)}`);
}

function nginxConf(
  dir: string,
  root: string,
  port: number,
  bearerPort: number | undefined,
  bearerToken: string | undefined,
  anonymousRead: boolean,
): string {
  const isRoot = process.getuid?.() === 0;
  const dav = `
      dav_methods PUT MKCOL DELETE;
      create_full_put_path on;
      dav_access user:rw group:rw all:r;
      autoindex on;`;
  const token = bearerToken ?? "";
  const basicAuth = `auth_basic "testkit"; auth_basic_user_file ${dir}/htpasswd;`;
  const auth = anonymousRead ? `\n      limit_except GET HEAD { ${basicAuth} }` : `\n      ${basicAuth}`;
  const bearer =
    bearerPort && token
      ? `
  server {
    listen 127.0.0.1:${bearerPort};
    root ${root};
    location / {
      set $token_ok 0;
      if ($http_authorization = "Bearer ${token}") { set $token_ok 1; }
      if ($http_x_jfrog_art_api = "${token}") { set $token_ok 1; }
      if ($token_ok = 0) { return 401; }${dav}
    }
  }`
      : "";
  return `# generated by @mass-ingest/testkit startNginx
daemon off;
master_process on;
worker_processes 1;
${isRoot ? "user root;" : ""}
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 128; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/tmp/client_body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  client_max_body_size 0;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / {${auth}${dav}
    }
  }${bearer}
}
`;
}
