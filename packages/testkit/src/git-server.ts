import type { ChildProcess } from "node:child_process";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { runBackend } from "./git-cgi.js";
import { startDaemon } from "./git-daemon.js";
import { git, writeFiles } from "./git.js";
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
const zeroStats = (): RepoStats => ({ httpRequests: 0, unauthorized: 0, fetches: 0 });

interface Repos {
  byName: Map<string, { private: boolean; dir: string }>;
  counters: Map<string, RepoStats>;
  count(name: string): RepoStats;
}

function repoTable(): Repos {
  const byName = new Map<string, { private: boolean; dir: string }>();
  const counters = new Map<string, RepoStats>();
  const count = (name: string) => {
    let c = counters.get(name);
    if (!c) counters.set(name, (c = zeroStats()));
    return c;
  };
  return { byName, counters, count };
}

/** The smart-HTTP handler: 404 for unknown repositories, basic auth for private ones, counters, then http-backend. */
function httpHandler(repos: Repos, roots: { public: string; private: string }, credentials: { user: string; password: string }) {
  const expectedAuth = "Basic " + Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64");
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const pathInfo = decodeURIComponent(url.pathname);
    const match = /^\/(.+?\.git)(\/.*)?$/.exec(pathInfo);
    const name = match ? normalize(match[1]!) : undefined;
    const repo = name ? repos.byName.get(name) : undefined;
    if (!name || !repo) {
      res.writeHead(404, { "content-type": "text/plain" }).end("repository not found\n");
      return;
    }
    const stats = repos.count(name);
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
    runBackend(req, res, repo.private ? roots.private : roots.public, pathInfo, url.search.slice(1), remoteUser);
  };
}

/** Create fixture repositories and commits in them, through a scratch work tree each time. */
function repoWriter(repos: Repos, root: string, roots: { public: string; private: string }, defaultBranch: string) {
  async function commitFiles(name: string, files: Record<string, string>, branch: string, message: string, base?: string) {
    const repo = repos.byName.get(name);
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
    async createRepo(rawName: string, spec: RepoSpec = {}): Promise<CreatedRepo> {
      const name = normalize(rawName);
      if (repos.byName.has(name)) throw new Error(`repository ${name} already exists`);
      const priv = spec.private ?? false;
      const dir = path.join(priv ? roots.private : roots.public, `${name}.git`);
      await mkdir(dir, { recursive: true });
      await git(["init", "-q", "--bare", "-b", defaultBranch], dir);
      repos.byName.set(name, { private: priv, dir });
      const head = await commitFiles(name, spec.files ?? { "README.md": `# ${name}\n` }, defaultBranch, "initial commit");
      const branches: Record<string, string> = { [defaultBranch]: head };
      for (const [branch, branchFiles] of Object.entries(spec.branches ?? {})) {
        branches[branch] = await commitFiles(name, branchFiles, branch, `branch ${branch}`, defaultBranch);
      }
      return { head, branches };
    },
    async commit(rawName: string, files: Record<string, string>, options: { branch?: string; message?: string } = {}): Promise<string> {
      const name = normalize(rawName);
      const repo = repos.byName.get(name);
      if (!repo) throw new Error(`no repository ${name} on this git server`);
      const branch = options.branch ?? defaultBranch;
      const base = (await branchExists(repo.dir, branch)) ? branch : defaultBranch;
      return commitFiles(name, files, branch, options.message ?? "update", base);
    },
  };
}

/**
 * Start a real git server on loopback: smart HTTP through `git http-backend` (CGI, basic auth for private
 * repositories) and `git daemon` for git:// (public repositories only). Stop it in afterAll.
 */
export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const credentials = { user: options.user ?? "git-user", password: options.password ?? "git-secret-password" };
  const root = await mkdtemp(path.join(os.tmpdir(), "testkit-git-"));
  const roots = { public: path.join(root, "public"), private: path.join(root, "private") };
  await mkdir(roots.public);
  await mkdir(roots.private);
  const repos = repoTable();

  const server = http.createServer(httpHandler(repos, roots, credentials));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const httpPort = (server.address() as AddressInfo).port;

  let daemon: ChildProcess | undefined;
  let gitPort = 0;
  if (options.daemon !== false)
    ({ child: daemon, port: gitPort } = await startDaemon(roots.public, (name) => repos.count(normalize(name)).fetches++));

  return {
    root,
    credentials,
    httpUrl: (name) => `http://127.0.0.1:${httpPort}/${normalize(name)}.git`,
    gitUrl: (name) => {
      if (!daemon) throw new Error("git daemon was not started (daemon: false)");
      return `git://127.0.0.1:${gitPort}/${normalize(name)}.git`;
    },
    ...repoWriter(repos, root, roots, options.defaultBranch ?? "main"),
    stats: (name) => ({ ...(repos.counters.get(normalize(name)) ?? zeroStats()) }),
    fetches: (name) => repos.counters.get(normalize(name))?.fetches ?? 0,
    resetStats: () => repos.counters.clear(),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (daemon) await killGroup(daemon);
      await rm(root, { recursive: true, force: true });
    },
  };
}
