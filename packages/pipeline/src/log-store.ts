import { createReadStream } from "node:fs";
import { copyFile, mkdir, readFile, rename, stat } from "node:fs/promises";
import path from "node:path";
import { rootCertificates } from "node:tls";
import { fileURLToPath } from "node:url";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { fromIni } from "@aws-sdk/credential-providers";
import pRetry, { AbortError } from "p-retry";
import { Agent, request } from "undici";
import { PipelineError } from "./errors.js";

/** Which key layout of MODERNE_CLI.md a store uses: Maven-style (`io/moderne/...`) or S3 (`.logs/...`). */
export type LogLayout = "maven" | "s3";

/** Object keys (relative to PUBLISH_URL) of one run's uploads. */
export interface LogKeys {
  buildLog: string;
  syncLog: string;
  /** The JSON run report, beside the build log zip. */
  report: string;
}

/** `YYYYMMDDHHmm` in UTC, the TS of the log layout. */
export function logTimestamp(date: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}`;
}

/** The INDEX of the log layout: `START-END` for a range, `all` otherwise. */
export function logIndex(range?: { start: number; end: number }): string {
  return range ? `${range.start}-${range.end}` : "all";
}

/** File names of the two zips (same in every layout). */
export function logFileNames(index: string, ts: string): { buildLog: string; syncLog: string; report: string } {
  return {
    buildLog: `ingest-log-cli-${ts}-${index}.zip`,
    syncLog: `ingest-sync-log-cli-${ts}-${index}.zip`,
    report: `ingest-report-${ts}-${index}.json`,
  };
}

/** The exact keys of MODERNE_CLI.md for `index` (`START-END` | `all`) and `ts` (UTC YYYYMMDDHHmm). */
export function logKeys(layout: LogLayout, index: string, ts: string): LogKeys {
  const names = logFileNames(index, ts);
  if (layout === "s3") {
    const dir = `.logs/${index}/${ts}`;
    return { buildLog: `${dir}/${names.buildLog}`, syncLog: `${dir}/${names.syncLog}`, report: `${dir}/${names.report}` };
  }
  return {
    buildLog: `io/moderne/ingest-log/${index}/${ts}/${names.buildLog}`,
    syncLog: `io/moderne/ingest-sync-log/${index}/${ts}/${names.syncLog}`,
    report: `io/moderne/ingest-log/${index}/${ts}/${names.report}`,
  };
}

/** Where log zips and reports are uploaded. */
export interface LogStore {
  readonly layout: LogLayout;
  /** The location of `key` as shown in reports (no credentials). */
  locate(key: string): string;
  /** Upload a local file to `key`; resolves to its location. Throws PipelineError UPLOAD_REJECTED / UPLOAD_FAILED. */
  put(key: string, file: string, options?: { contentType?: string }): Promise<string>;
  /** Release pooled connections, when the store holds any. */
  close?(): Promise<void>;
}

export interface HttpLogStoreOptions {
  /** Basic auth (Maven). */
  user?: string;
  password?: string;
  /** Bearer token (Artifactory). Used when user/password are not both set. */
  token?: string;
  /** PEM CA bundle (file path) trusted in addition to the built-in roots. */
  caFile?: string;
  /** Skip TLS verification. Only by explicit choice. */
  insecure?: boolean;
  /** Retries on 5xx / connection errors (default 4), backoff starting at minTimeoutMs (default 500). */
  retries?: number;
  minTimeoutMs?: number;
  /** Per-request timeout (ms, default 300 000). */
  timeoutMs?: number;
  /** Called on each failed attempt that will be retried. */
  onRetry?: (info: { key: string; attempt: number; error: string }) => void;
}

function joinUrl(base: string, key: string): string {
  return `${base.replace(/\/+$/, "")}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

function withoutUserInfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}

class RetryableUploadError extends Error {}

/** HTTP PUT (Maven / Artifactory / WebDAV) with basic or bearer auth, verified TLS and p-retry backoff. */
export class HttpLogStore implements LogStore {
  readonly layout: LogLayout = "maven";
  readonly #base: string;
  readonly #options: HttpLogStoreOptions;
  #dispatcher?: Agent;

  constructor(baseUrl: string, options: HttpLogStoreOptions = {}) {
    this.#base = withoutUserInfo(baseUrl);
    this.#options = options;
  }

  locate(key: string): string {
    return joinUrl(this.#base, key);
  }

  async #agent(): Promise<Agent> {
    if (!this.#dispatcher) {
      const ca = this.#options.caFile ? await readFile(this.#options.caFile, "utf8") : undefined;
      this.#dispatcher = new Agent({
        connect: { rejectUnauthorized: !this.#options.insecure, ...(ca ? { ca: [...rootCertificates, ca] } : {}) },
      });
    }
    return this.#dispatcher;
  }

  async put(key: string, file: string, options: { contentType?: string } = {}): Promise<string> {
    const url = this.locate(key);
    const size = (await stat(file)).size;
    const headers: Record<string, string> = {
      "content-type": options.contentType ?? "application/zip",
      "content-length": String(size),
    };
    const { user, password, token } = this.#options;
    if (user && password) headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    else if (token) headers.authorization = `Bearer ${token}`;
    const dispatcher = await this.#agent();
    const timeout = this.#options.timeoutMs ?? 300_000;
    try {
      await pRetry(
        async () => {
          let res;
          try {
            res = await request(url, {
              method: "PUT",
              headers,
              body: createReadStream(file),
              dispatcher,
              headersTimeout: timeout,
              bodyTimeout: timeout,
            });
          } catch (error) {
            throw new RetryableUploadError(`PUT ${url}: ${(error as Error).message}`);
          }
          await res.body.dump();
          if (res.statusCode >= 200 && res.statusCode < 300) return;
          if (res.statusCode >= 500 || res.statusCode === 408 || res.statusCode === 429) {
            throw new RetryableUploadError(`PUT ${url} answered ${res.statusCode}`);
          }
          throw new AbortError(
            new PipelineError("UPLOAD_REJECTED", `PUT ${url} answered ${res.statusCode}; not retried`, {
              hint:
                res.statusCode === 401 || res.statusCode === 403
                  ? "Check PUBLISH_USER/PUBLISH_PASSWORD or PUBLISH_TOKEN and the repository's write permission."
                  : "Check PUBLISH_URL and the repository's configuration.",
            }),
          );
        },
        {
          retries: this.#options.retries ?? 4,
          minTimeout: this.#options.minTimeoutMs ?? 500,
          factor: 2,
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft > 0) this.#options.onRetry?.({ key, attempt: attemptNumber, error: error.message });
          },
        },
      );
    } catch (error) {
      if (error instanceof PipelineError) throw error;
      throw new PipelineError("UPLOAD_FAILED", `upload to ${url} failed after retries: ${(error as Error).message}`, {
        hint: "Check that the artifact repository is reachable and healthy; the zip stays in the data directory.",
        cause: error,
      });
    }
    return url;
  }

  /** Close pooled connections. */
  async close(): Promise<void> {
    await this.#dispatcher?.close();
  }
}

export interface S3LogStoreOptions {
  endpoint?: string;
  region?: string;
  profile?: string;
  /** Use this client instead of building one. */
  client?: S3Client;
}

/** `s3://bucket/prefix` via the AWS SDK (its own retries). */
export class S3LogStore implements LogStore {
  readonly layout: LogLayout = "s3";
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #client: S3Client;

  constructor(url: string, options: S3LogStoreOptions = {}) {
    const u = new URL(url);
    this.#bucket = u.hostname;
    this.#prefix = u.pathname.replace(/^\/+|\/+$/g, "");
    this.#client =
      options.client ??
      new S3Client({
        region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
        ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
        ...(options.profile ? { credentials: fromIni({ profile: options.profile }) } : {}),
      });
  }

  #key(key: string): string {
    return this.#prefix ? `${this.#prefix}/${key}` : key;
  }

  locate(key: string): string {
    return `s3://${this.#bucket}/${this.#key(key)}`;
  }

  async put(key: string, file: string, options: { contentType?: string } = {}): Promise<string> {
    const size = (await stat(file)).size;
    try {
      await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: this.#key(key),
          Body: createReadStream(file),
          ContentLength: size,
          ContentType: options.contentType ?? "application/zip",
        }),
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const rejected = status !== undefined && status >= 400 && status < 500;
      throw new PipelineError(rejected ? "UPLOAD_REJECTED" : "UPLOAD_FAILED", `upload to ${this.locate(key)} failed: ${(error as Error).name}: ${(error as Error).message}`, {
        hint: "Check the bucket, S3_ENDPOINT / S3_REGION / S3_PROFILE and the worker's IAM permissions.",
        cause: error,
      });
    }
    return this.locate(key);
  }
}

/** `file:///dir`: copies into a directory tree (Maven layout), atomically per file. */
export class FileLogStore implements LogStore {
  readonly layout: LogLayout = "maven";
  readonly #root: string;

  constructor(urlOrPath: string) {
    this.#root = urlOrPath.startsWith("file:") ? fileURLToPath(urlOrPath) : path.resolve(urlOrPath);
  }

  locate(key: string): string {
    return path.join(this.#root, ...key.split("/"));
  }

  async put(key: string, file: string): Promise<string> {
    const target = this.locate(key);
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    await copyFile(file, tmp);
    await rename(tmp, target);
    return target;
  }
}

export interface CreateLogStoreOptions {
  http?: HttpLogStoreOptions;
  s3?: S3LogStoreOptions;
}

/** The LogStore for a PUBLISH_URL: `s3://` -> S3, `http(s)://` -> HTTP PUT, `file://` -> directory. */
export function createLogStore(url: string, options: CreateLogStoreOptions = {}): LogStore {
  if (url.startsWith("s3://")) return new S3LogStore(url, options.s3);
  if (url.startsWith("http://") || url.startsWith("https://")) return new HttpLogStore(url, options.http);
  if (url.startsWith("file:")) return new FileLogStore(url);
  throw new PipelineError("LOG_STORE_URL_INVALID", `PUBLISH_URL ${withoutUserInfo(url)} is not s3://, http(s):// or file://`, {
    hint: "Use the artifact repository URL the CLI publishes to (https://..., s3://bucket/prefix or file:///dir).",
  });
}
