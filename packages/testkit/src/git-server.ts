import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { git, isolatedGitEnv, writeFiles } from "./git.js";
import { freePort, waitForPort } from "./ports.js";
import { killGroup } from "./process.js";

/** What to put in a fixture repository. */
export interface RepoSpec {
  /** Files of the default branch (relative path -> content). Default: a README.md. */
  files?: Record<string, string>;
  /** Extra branches: name -> files written on top of the default branch, one commit each. */
  branches?: Record<string, Record<string, string>>;
  /** Private repositories need basic auth over HTTP and are not served over git://. */
  private?: boolean;
}

/** The commits a created repository points at. */
export interface CreatedRepo {
  /** Commit sha of the default branch. */
  head: string;
  /** Commit sha of every branch, the default one included. */
  branches: Record<string, string>;
}

/** Per-repository request counters. */
export interface RepoStats {
  /** Every HTTP request for the repository (including 401 answers). */
  httpRequests: number;
  /** HTTP requests answered 401 (no or wrong credentials). */
  unauthorized: number;
  /** Fetch/clone sessions: `info/refs?service=git-upload-pack` over HTTP that passed auth, plus git:// upload-pack requests. */
  fetches: number;
}

export interface GitServer {
  /** e.g. http://127.0.0.1:PORT/org/repo.git */
  httpUrl(name: string): string;
  /** e.g. git://127.0.0.1:PORT/org/repo.git (public repositories only). */
  gitUrl(name: string): string;
  /** Create a bare repository with real commits. `name` may contain slashes ("org/repo"); a ".git" suffix is ignored. */
  createRepo(name: string, spec?: RepoSpec): Promise<CreatedRepo>;
  /** Add one commit with `files` on `branch` (default: the default branch; created from it when new). */
  commit(name: string, files: Record<string, string>, options?: { branch?: string; message?: string }): Promise<string>;
  /** Basic-auth credentials private repositories accept over HTTP. */
  credentials: { user: string; password: string };
  /** Counters for one repository (zeros when never requested). git:// counts arrive asynchronously from the daemon log. */
  stats(name: string): RepoStats;
  /** Shorthand for stats(name).fetches. */
  fetches(name: string): number;
  /** Zero all counters. */
  resetStats(): void;
  /** Folder holding the bare repositories. */
  root: string;
  stop(): Promise<void>;
}

export interface GitServerOptions {
  user?: string;
  password?: string;
  /** Default branch of created repositories. Default "main". */
  defaultBranch?: string;
  /** Also start `git daemon` for git:// URLs. Default true. */
  daemon?: boolean;
}

const normalize = (name: string) => name.replace(/^\/+/, "").replace(/\.git$/, "");

/**
 * Start a real git server on loopback: smart HTTP through `git http-backend` (CGI, basic auth for private
 * repositories) and `git daemon` for git:// (public repositories only). Stop it in afterAll.
 */
export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const credentials = { user: options.user ?? "git-user", password: options.password ?? "git-secret-password" };
  const defaultBranch = options.defaultBranch ?? "main";
  const root = await mkdtemp(path.join(os.tmpdir(), "testkit-git-"));
  const publicRoot = path.join(root, "public");
  const privateRoot = path.join(root, "private");
  await mkdir(publicRoot);
  await mkdir(privateRoot);

  const repos = new Map<string, { private: boolean; dir: string }>();
  const counters = new Map<string, RepoStats>();
  const count = (name: string) => {
    let c = counters.get(name);
    if (!c) counters.set(name, (c = { httpRequests: 0, unauthorized: 0, fetches: 0 }));
    return c;
  };
  const expectedAuth = "Basic " + Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64");

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const pathInfo = decodeURIComponent(url.pathname);
    const match = /^\/(.+?\.git)(\/.*)?$/.exec(pathInfo);
    const name = match ? normalize(match[1]!) : undefined;
    const repo = name ? repos.get(name) : undefined;
    if (!name || !repo) {
      res.writeHead(404, { "content-type": "text/plain" }).end("repository not found\n");
      return;
    }
    const stats = count(name);
    stats.httpRequests++;
    let remoteUser = "";
    if (repo.private) {
      if (req.headers.authorization !== expectedAuth) {
        stats.unauthorized++;
        res.writeHead(401, { "www-authenticate": 'Basic realm="testkit git"', "content-type": "text/plain" });
        res.end("authentication required\n");
        return;
      }
      remoteUser = credentials.user;
    }
    if (match![2] === "/info/refs" && url.searchParams.get("service") === "git-upload-pack") stats.fetches++;
    runBackend(req, res, repo.private ? privateRoot : publicRoot, pathInfo, url.search.slice(1), remoteUser);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const httpPort = (server.address() as AddressInfo).port;

  let daemon: ChildProcess | undefined;
  let gitPort = 0;
  if (options.daemon !== false) ({ child: daemon, port: gitPort } = await startDaemon(publicRoot, (name) => count(name).fetches++));

  const repoDir = (name: string, priv: boolean) => path.join(priv ? privateRoot : publicRoot, `${name}.git`);

  async function commitFiles(name: string, files: Record<string, string>, branch: string, message: string, base?: string) {
    const repo = repos.get(name);
    if (!repo) throw new Error(`no repository ${name} on this git server`);
    const work = await mkdtemp(path.join(root, "work-"));
    try {
      await git(["init", "-q", "-b", branch], work);
      if (base) {
        await git(["fetch", "-q", repo.dir, base], work);
        await git(["reset", "-q", "--hard", "FETCH_HEAD"], work);
      }
      await writeFiles(work, files);
      await git(["add", "-A"], work);
      await git(["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", message], work);
      await git(["push", "-q", repo.dir, `HEAD:refs/heads/${branch}`], work);
      return await git(["rev-parse", "HEAD"], work);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  const branchExists = async (dir: string, branch: string) =>
    git(["rev-parse", "--verify", "-q", `refs/heads/${branch}`], dir).then(
      () => true,
      () => false,
    );

  return {
    root,
    credentials,
    httpUrl: (name) => `http://127.0.0.1:${httpPort}/${normalize(name)}.git`,
    gitUrl: (name) => {
      if (!daemon) throw new Error("git daemon was not started (daemon: false)");
      return `git://127.0.0.1:${gitPort}/${normalize(name)}.git`;
    },
    async createRepo(rawName, spec = {}) {
      const name = normalize(rawName);
      if (repos.has(name)) throw new Error(`repository ${name} already exists`);
      const priv = spec.private ?? false;
      const dir = repoDir(name, priv);
      await mkdir(dir, { recursive: true });
      await git(["init", "-q", "--bare", "-b", defaultBranch], dir);
      repos.set(name, { private: priv, dir });
      const files = spec.files ?? { "README.md": `# ${name}\n` };
      const head = await commitFiles(name, files, defaultBranch, "initial commit");
      const branches: Record<string, string> = { [defaultBranch]: head };
      for (const [branch, branchFiles] of Object.entries(spec.branches ?? {})) {
        branches[branch] = await commitFiles(name, branchFiles, branch, `branch ${branch}`, defaultBranch);
      }
      return { head, branches };
    },
    async commit(rawName, files, commitOptions = {}) {
      const name = normalize(rawName);
      const repo = repos.get(name);
      if (!repo) throw new Error(`no repository ${name} on this git server`);
      const branch = commitOptions.branch ?? defaultBranch;
      const base = (await branchExists(repo.dir, branch)) ? branch : defaultBranch;
      return commitFiles(name, files, branch, commitOptions.message ?? "update", base);
    },
    stats: (name) => ({ ...(counters.get(normalize(name)) ?? { httpRequests: 0, unauthorized: 0, fetches: 0 }) }),
    fetches: (name) => counters.get(normalize(name))?.fetches ?? 0,
    resetStats: () => counters.clear(),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (daemon) await killGroup(daemon);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Run `git http-backend` as CGI for one request, streaming both bodies. */
function runBackend(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  projectRoot: string,
  pathInfo: string,
  query: string,
  remoteUser: string,
) {
  const env: NodeJS.ProcessEnv = {
    ...isolatedGitEnv(),
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    GATEWAY_INTERFACE: "CGI/1.1",
    SERVER_PROTOCOL: "HTTP/1.1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    REMOTE_USER: remoteUser,
  };
  if (req.headers["content-length"]) env.CONTENT_LENGTH = req.headers["content-length"];
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") env[`HTTP_${key.toUpperCase().replace(/-/g, "_")}`] = value;
  }
  const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
  req.pipe(child.stdin);
  child.stdin.on("error", () => {});
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));

  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf("\r\n\r\n");
    const lf = head.indexOf("\n\n");
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
    if (end < 0) return;
    const sepLength = end === crlf ? 4 : 2;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (key.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
      else res.appendHeader(key, value);
    }
    res.statusCode = status;
    headersDone = true;
    const rest = head.subarray(end + sepLength);
    if (rest.length) res.write(rest);
  });
  child.on("close", (code) => {
    if (!headersDone) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`git http-backend exited ${code}: ${stderr}\n`);
      return;
    }
    res.end();
  });
  res.on("close", () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
}

/** Start `git daemon` on a free loopback port serving `base` (retries on a port race). */
async function startDaemon(base: string, onFetch: (name: string) => void): Promise<{ child: ChildProcess; port: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      "git",
      [
        "daemon",
        "--reuseaddr",
        "--export-all",
        "--verbose",
        "--informative-errors",
        "--log-destination=stderr",
        `--base-path=${base}`,
        "--listen=127.0.0.1",
        `--port=${port}`,
      ],
      { env: isolatedGitEnv(), stdio: ["ignore", "ignore", "pipe"], detached: true },
    );
    let log = "";
    let pending = "";
    child.stderr!.on("data", (d: Buffer) => {
      const text = d.toString();
      log = (log + text).slice(-4000);
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const m = /Request upload-pack for '\/?(.+?)'/.exec(line);
        if (m) onFetch(normalize(m[1]!));
      }
    });
    try {
      await Promise.race([
        waitForPort(port, "127.0.0.1", 15_000),
        new Promise((_, reject) => child.once("exit", (code) => reject(new Error(`git daemon exited ${code}: ${log}`)))),
      ]);
      return { child, port };
    } catch (error) {
      lastError = error;
      await killGroup(child);
    }
  }
  throw new Error(`could not start git daemon: ${String(lastError)}`);
}
