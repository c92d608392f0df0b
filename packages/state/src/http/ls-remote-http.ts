/**
 * Change detection over smart HTTP(S) in this process: protocol v2 `ls-refs` (with `ref-prefix`) through an undici
 * keep-alive pool per host, falling back to the v0 `info/refs` advertisement where a host lacks v2. Whatever it
 * cannot answer the way git would (redirects, dumb servers, proxies, a 401 without credentials of its own) it
 * hands back to `git ls-remote`.
 */
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Agent, request } from "undici";
import { commitFrom, redactLine, secretsOf } from "../ls-remote-output.js";
import type { LsRemoteErrorKind, RemoteHead } from "../select.js";
import { credentialSource, type BasicCredentials, type CredentialSource } from "./credentials.js";
import { advertisementToLsRemote, lsRefsRequest, lsRefsToLsRemote, refPrefixes } from "./pkt-line.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface HttpLsRemoteOptions {
  timeoutMs: number;
  /** Connections per host (the pool's bound). */
  connectionsPerHost: number;
  /** The git environment of the pass (its credential store files are read once); on top of process.env. */
  env?: Env;
  /** Attempts after a 429/503 (waiting its Retry-After, at most 30 s and never past the timeout). Default 3. */
  retries?: number;
}

/** Answer to hand the target to `git ls-remote`. */
export const USE_GIT = "use-git" as const;
export type HttpAnswer = RemoteHead | typeof USE_GIT;

export interface HttpLsRemote {
  /** The remote commit for these ls-remote patterns, the failure, or USE_GIT. */
  ask(url: string, patterns: readonly string[], branch: string | undefined): Promise<HttpAnswer>;
  close(): Promise<void>;
}

const PROXY_VARS = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

/** True when the in-process client may answer for this URL in this environment (http(s), no proxy configured). */
export function httpClientApplies(url: string, env: Env): boolean {
  return /^https?:\/\//i.test(url) && !PROXY_VARS.some((v) => env[v]);
}

function gitConfig(env: Env, key: string): string | undefined {
  const count = Number(env.GIT_CONFIG_COUNT ?? 0);
  for (let i = 0; i < count; i++) if (env[`GIT_CONFIG_KEY_${i}`]?.toLowerCase() === key) return env[`GIT_CONFIG_VALUE_${i}`];
  return undefined;
}

/** TLS settings git would use: GIT_SSL_CAINFO / http.sslCAInfo / SSL_CERT_FILE added to the roots, GIT_SSL_NO_VERIFY. */
function tlsOptions(env: Env): { ca?: string[]; rejectUnauthorized?: boolean } {
  const caFile = env.GIT_SSL_CAINFO || gitConfig(env, "http.sslcainfo") || env.SSL_CERT_FILE;
  const out: { ca?: string[]; rejectUnauthorized?: boolean } = {};
  if (caFile) {
    try {
      out.ca = [...rootCertificates, readFileSync(caFile, "utf8")];
    } catch {
      // unreadable: the default roots (git would fail the same way over TLS)
    }
  }
  if (env.GIT_SSL_NO_VERIFY && env.GIT_SSL_NO_VERIFY !== "0" && env.GIT_SSL_NO_VERIFY !== "false") out.rejectUnauthorized = false;
  return out;
}

const fail = (kind: LsRemoteErrorKind, message: string): RemoteHead => ({ ok: false, kind, message });

const TLS_CODE = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH|ERR_CERT)/;
const TIMEOUT_CODE = /^(UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT|ETIMEDOUT)$/;

/** A thrown network error as an ls-remote failure (dns, tls, timeout, other). */
export function classifyNetworkError(error: unknown, timeoutMs: number): RemoteHead {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code ?? "";
  if (e.name === "TimeoutError" || e.name === "AbortError" || TIMEOUT_CODE.test(code)) {
    return fail("timeout", `no answer within ${timeoutMs} ms`);
  }
  if (/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/.test(code)) return fail("dns", `Could not resolve host (${code})`);
  if (TLS_CODE.test(code) || /certificate|ssl|tls/i.test(e.message ?? ""))
    return fail("tls", `TLS: ${e.cause?.message ?? e.message ?? code}`);
  if (code === "ECONNREFUSED") return fail("other", "connection refused");
  return fail("other", String(e.cause?.message ?? e.message ?? code).split("\n")[0] ?? "request failed");
}

/** Seconds of a Retry-After header (delta or HTTP date), undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface Exchange {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

function requestHeaders(credentials: BasicCredentials | undefined, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { "user-agent": "git/2 mass-ingest", ...extra };
  if (credentials) headers.authorization = "Basic " + Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64");
  return headers;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function httpLsRemote(options: HttpLsRemoteOptions): HttpLsRemote {
  const env: Env = { ...process.env, ...options.env };
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: Math.max(1, options.connectionsPerHost), connect: tlsOptions(env) });
  const credentials = credentialSource(env);
  const v0Hosts = new Set<string>();
  const retries = options.retries ?? 3;

  async function exchange(url: string, init: { method: "GET" | "POST"; headers: Record<string, string>; body?: string }, deadline: number) {
    for (let attempt = 0; ; attempt++) {
      const res = await request(url, { ...init, dispatcher: agent, signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      const body = Buffer.from(await res.body.arrayBuffer());
      const out: Exchange = { status: res.statusCode, body, headers: res.headers };
      if ((out.status !== 429 && out.status !== 503) || attempt >= retries) return out;
      const wait = Math.min(retryAfterMs(res.headers["retry-after"]) ?? 1000 * 2 ** attempt, 30_000);
      if (Date.now() + wait >= deadline) return out;
      await sleep(wait);
    }
  }

  async function ask(rawUrl: string, patterns: readonly string[], branch: string | undefined): Promise<HttpAnswer> {
    const u = new URL(rawUrl);
    const sent = credentials.forUrl(u);
    u.username = "";
    u.password = "";
    const base = u.toString().replace(/\/+$/, "");
    const origin = `${u.protocol}//${u.host}`;
    const deadline = Date.now() + options.timeoutMs;
    let stdout: string | undefined;
    let res: Exchange | undefined;
    if (!v0Hosts.has(origin)) {
      res = await exchange(
        `${base}/git-upload-pack`,
        {
          method: "POST",
          headers: requestHeaders(sent, {
            "content-type": "application/x-git-upload-pack-request",
            accept: "application/x-git-upload-pack-result",
            "git-protocol": "version=2",
          }),
          body: lsRefsRequest(refPrefixes(patterns)),
        },
        deadline,
      );
      const v2 = res.status === 200 && String(res.headers["content-type"]).startsWith("application/x-git-upload-pack-result");
      stdout = v2 ? parseOr(lsRefsToLsRemote, res.body) : undefined;
      if (stdout === undefined && !isAnswer(res.status)) v0Hosts.add(origin);
    }
    if (stdout === undefined && (!res || !isAnswer(res.status))) {
      res = await exchange(`${base}/info/refs?service=git-upload-pack`, { method: "GET", headers: requestHeaders(sent, {}) }, deadline);
      if (res.status === 200) {
        stdout = parseOr(advertisementToLsRemote, res.body);
        if (stdout === undefined) return USE_GIT;
      }
    }
    if (stdout !== undefined) return headFrom(stdout, patterns, branch, rawUrl);
    return statusAnswer(res!, sent !== undefined, credentials, rawUrl);
  }

  return {
    ask: async (url, patterns, branch) => {
      try {
        return await ask(url, patterns, branch);
      } catch (error) {
        const head = classifyNetworkError(error, options.timeoutMs);
        return head.ok ? head : { ...head, message: redactLine(head.message, [...secretsOf(url), ...credentials.secrets]) };
      }
    },
    close: () => agent.close(),
  };
}

function parseOr(parse: (body: Buffer) => string | undefined, body: Buffer): string | undefined {
  try {
    return parse(body);
  } catch {
    return undefined;
  }
}

/** Statuses that answer the question whatever the protocol (no fallback to v0 for them). */
const isAnswer = (status: number) =>
  status === 401 || status === 403 || status === 404 || status === 429 || (status >= 300 && status < 400);

function headFrom(stdout: string, patterns: readonly string[], branch: string | undefined, url: string): RemoteHead {
  const commit = commitFrom(stdout, patterns);
  if (commit) return { ok: true, commit };
  const what = branch ? `branch or tag "${branch}"` : "HEAD";
  return fail("not-found", redactLine(`${what} not found in ${url}`, secretsOf(url)));
}

function statusAnswer(res: Exchange, sentCredentials: boolean, credentials: CredentialSource, url: string): HttpAnswer {
  const where = redactLine(url, [...secretsOf(url), ...credentials.secrets]);
  if (res.status >= 300 && res.status < 400) return USE_GIT;
  if (res.status === 401 && !sentCredentials) return USE_GIT;
  if (res.status === 401 || res.status === 403) return fail("auth", `HTTP ${res.status}: authentication failed for ${where}`);
  if (res.status === 404) return fail("not-found", `HTTP 404: repository not found: ${where}`);
  if (res.status === 429) return fail("other", `HTTP 429: rate limited by ${new URL(url).host} (retried)`);
  return fail("other", `HTTP ${res.status} from ${where}`);
}
