import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FaultProxyOptions {
  /** Answer `status` to this many requests before forwarding. */
  failFirst: number;
  /** Status of the failed answers. Default 503. */
  status?: number;
  /** Instead of answering `status`, drop the connection (the client sees a connection reset). */
  reset?: boolean;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT — paths are appended to the target base URL's path. */
  url: string;
  /** Requests received so far (failed and forwarded). */
  requests(): number;
  /** Requests answered with the fault status (or reset). */
  failed(): number;
  /** Fail the next `n` requests too (re-arm between test cases). */
  failNext(n: number): void;
  stop(): Promise<void>;
}

/**
 * An HTTP reverse proxy on loopback that answers `status` to the first `failFirst` requests and then
 * forwards everything (method, headers, streamed bodies) to `targetBaseUrl`. Proves upload retries.
 * With `reset: true` the first requests get their connection dropped instead (connection-error retries).
 */
export async function startFaultProxy(targetBaseUrl: string, options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(targetBaseUrl);
  const basePath = target.pathname.replace(/\/+$/, "");
  const status = options.status ?? 503;
  let requests = 0;
  let failed = 0;
  let remaining = options.failFirst;

  const server = http.createServer((req, res) => {
    requests++;
    if (remaining > 0) {
      remaining--;
      failed++;
      if (options.reset) {
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on("end", () => res.writeHead(status, { "content-type": "text/plain", connection: "close" }).end(`fault proxy: ${status}\n`));
      return;
    }
    const headers = { ...req.headers, host: target.host };
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, method: req.method, path: basePath + (req.url ?? "/"), headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`fault proxy: upstream error ${error.message}\n`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    failed: () => failed,
    failNext: (n) => {
      remaining = n;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
