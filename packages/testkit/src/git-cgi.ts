import { spawn } from "node:child_process";
import type http from "node:http";
import { isolatedGitEnv } from "./git.js";

/** Run `git http-backend` as CGI for one request, streaming both bodies. */
export function runBackend(
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
    const rest = writeCgiHead(head, res);
    if (rest === undefined) return;
    headersDone = true;
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

/**
 * When `head` holds the CGI header block, copy its headers (and `Status:`) onto `res` and return the body bytes
 * that followed it; undefined while the block is incomplete.
 */
function writeCgiHead(head: Buffer, res: http.ServerResponse): Buffer | undefined {
  const crlf = head.indexOf("\r\n\r\n");
  const lf = head.indexOf("\n\n");
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
  if (end < 0) return undefined;
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
  return head.subarray(end + sepLength);
}
