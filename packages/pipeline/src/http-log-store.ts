import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { stripUserInfo } from "@mass-ingest/core";
import pRetry, { AbortError } from "p-retry";
import { whyNoRetry } from "./upload-stop.js";
import { request, type Agent } from "undici";
import { storeAuthHeaders, storeDispatcher, type HttpStoreAccess } from "./http-store.js";
import { PipelineError } from "./errors.js";
import type { LogLayout } from "./log-layout.js";
import type { LogStore } from "./log-store.js";

/** Auth and TLS (see HttpStoreAccess), retries and timeouts. */
export interface HttpLogStoreOptions extends HttpStoreAccess {
  /** Retries on 5xx / connection errors (default 4), backoff starting at minTimeoutMs (default 500). */
  retries?: number;
  minTimeoutMs?: number;
  /** Per-request timeout (ms, default 300 000). */
  timeoutMs?: number;
  /** No retry once this signal aborts (the first SIGTERM); the attempt under way still finishes. */
  stop?: AbortSignal;
  /** Epoch ms: no retry after it, and no attempt's timeout reaches past it (at least MIN_ATTEMPT_MS each). */
  deadline?: number;
  /** Called on each failed attempt that will be retried. */
  onRetry?: (info: { key: string; attempt: number; error: string }) => void;
}

/** How much of a refusing server's answer goes into the error message. */
const BODY_EXCERPT_CHARS = 300;

function joinUrl(base: string, key: string): string {
  return `${base.replace(/\/+$/, "")}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

class RetryableUploadError extends Error {}

/** The shortest timeout an attempt gets, however close the deadline. */
const MIN_ATTEMPT_MS = 10_000;

/** `PUT URL answered STATUS: BODY` with the first characters of the body, on one line. */
async function answerOf(url: string, statusCode: number, body: { text(): Promise<string> }): Promise<string> {
  const text = (await body.text().catch(() => "")).replace(/\s+/g, " ").trim();
  const excerpt = text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}...` : text;
  return `PUT ${url} answered ${statusCode}${excerpt ? `: ${excerpt}` : ""}`;
}

function rejected(message: string, statusCode: number): AbortError {
  return new AbortError(
    new PipelineError("UPLOAD_REJECTED", `${message}; not retried`, {
      hint:
        statusCode === 401 || statusCode === 403
          ? "Check PUBLISH_USER/PUBLISH_PASSWORD or PUBLISH_TOKEN and the repository's write permission."
          : "Check PUBLISH_URL and the repository's configuration.",
    }),
  );
}

/** HTTP PUT (Maven / Artifactory / WebDAV) with basic or bearer auth, verified TLS and p-retry backoff. */
export class HttpLogStore implements LogStore {
  readonly layout: LogLayout = "maven";
  readonly #base: string;
  readonly #options: HttpLogStoreOptions;
  #dispatcher?: Agent;

  constructor(baseUrl: string, options: HttpLogStoreOptions = {}) {
    this.#base = stripUserInfo(baseUrl);
    this.#options = options;
  }

  locate(key: string): string {
    return joinUrl(this.#base, key);
  }

  async #agent(): Promise<Agent> {
    this.#dispatcher ??= await storeDispatcher(this.#options);
    return this.#dispatcher;
  }

  #headers(size: number, contentType: string | undefined): Record<string, string> {
    return { "content-type": contentType ?? "application/zip", "content-length": String(size), ...storeAuthHeaders(this.#options) };
  }

  /** One PUT: resolves on 2xx, throws RetryableUploadError (5xx, 408, 429, connection) or AbortError (other 4xx). */
  async #attempt(url: string, file: string, headers: Record<string, string>, dispatcher: Agent): Promise<void> {
    const { deadline } = this.#options;
    const full = this.#options.timeoutMs ?? 300_000;
    const timeout = deadline === undefined ? full : Math.min(full, Math.max(MIN_ATTEMPT_MS, deadline - Date.now()));
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
    if (res.statusCode >= 200 && res.statusCode < 300) {
      await res.body.dump();
      return;
    }
    const answer = await answerOf(url, res.statusCode, res.body);
    if (res.statusCode >= 500 || res.statusCode === 408 || res.statusCode === 429) throw new RetryableUploadError(answer);
    throw rejected(answer, res.statusCode);
  }

  /** Why no further attempt may start: the stop signal aborted, or the deadline passed. */
  #noRetry(): string | undefined {
    return whyNoRetry(this.#options.stop, this.#options.deadline);
  }

  async put(key: string, file: string, options: { contentType?: string } = {}): Promise<string> {
    const url = this.locate(key);
    const headers = this.#headers((await stat(file)).size, options.contentType);
    const dispatcher = await this.#agent();
    try {
      await pRetry(
        (attemptNumber) => {
          // a SIGTERM or the deadline during the backoff wait: no further attempt
          const why = attemptNumber > 1 ? this.#noRetry() : undefined;
          if (why) throw new AbortError(`PUT ${url}: not retried: ${why}`);
          return this.#attempt(url, file, headers, dispatcher);
        },
        {
          retries: this.#options.retries ?? 4,
          minTimeout: this.#options.minTimeoutMs ?? 500,
          factor: 2,
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            const why = this.#noRetry();
            if (why && retriesLeft > 0) throw new Error(`${error.message}; not retried: ${why}`);
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
