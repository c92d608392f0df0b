import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { abortWindow } from "@mass-ingest/core";
import { createS3Client } from "@mass-ingest/core/aws";
import pRetry, { AbortError } from "p-retry";
import { PipelineError } from "./errors.js";
import { whyNoRetry } from "./upload-stop.js";
import type { LogLayout } from "./log-layout.js";
import type { LogStore } from "./log-store.js";

export interface S3LogStoreOptions {
  /** S3_ENDPOINT: an S3-compatible store or moto (path-style addressing then). */
  endpoint?: string;
  /** S3_REGION (default AWS_REGION / AWS_DEFAULT_REGION, else us-east-1). */
  region?: string;
  /** S3_PROFILE: a named profile of the shared AWS config files. */
  profile?: string;
  /**
   * Use this client instead of building one with `createS3Client` of @mass-ingest/core/aws. Its own retries then
   * run inside each of this store's attempts; a client the store builds makes one request per attempt.
   */
  client?: S3Client;
  /** Attempts per file (default 3, as the SDK's standard mode), backoff starting at minTimeoutMs (default 500). */
  attempts?: number;
  minTimeoutMs?: number;
  /** Per-attempt timeout (ms, default 300 000): a store that never answers is given up on. */
  timeoutMs?: number;
  /** No new attempt once this signal aborts (the first SIGTERM); the attempt under way gets stopAttemptMs more. */
  stop?: AbortSignal;
  /** How long an attempt may still run once `stop` aborts (ms, default 10 000): well inside STOP_GRACE. */
  stopAttemptMs?: number;
  /** Epoch ms: no retry after it, and no attempt's timeout reaches past it (at least MIN_ATTEMPT_MS each). */
  deadline?: number;
  /** Called on each failed attempt that will be retried. */
  onRetry?: (info: { key: string; attempt: number; error: string }) => void;
}

/**
 * Files up to this size are sent from memory: a buffer body can be retried by the SDK, a stream cannot (the SDK
 * then reports "An error was encountered in a non-retryable streaming request" and gives up on the first error).
 */
const BUFFERED_UPLOAD_MAX_BYTES = 64 * 1024 * 1024;

/** The shortest timeout an attempt gets, however close the deadline. */
const MIN_ATTEMPT_MS = 10_000;

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isRejected = (status: number | undefined) =>
  status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;

/** `s3://bucket/prefix` via the AWS SDK, with p-retry attempts that stop at the run's deadline and at the first SIGTERM. */
export class S3LogStore implements LogStore {
  readonly layout: LogLayout = "s3";
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #client: S3Client;
  readonly #ownClient: boolean;
  readonly #options: S3LogStoreOptions;

  constructor(url: string, options: S3LogStoreOptions = {}) {
    const u = new URL(url);
    this.#bucket = u.hostname;
    this.#prefix = u.pathname.replace(/^\/+|\/+$/g, "");
    this.#options = options;
    this.#ownClient = options.client === undefined;
    this.#client =
      options.client ?? createS3Client({ endpoint: options.endpoint, region: options.region, profile: options.profile, maxAttempts: 1 });
  }

  #key(key: string): string {
    return this.#prefix ? `${this.#prefix}/${key}` : key;
  }

  locate(key: string): string {
    return `s3://${this.#bucket}/${this.#key(key)}`;
  }

  /** The signal that ends one attempt: its timeout (capped by the deadline), or stopAttemptMs after the stop. */
  #attemptSignal(): { signal: AbortSignal; done: () => void } {
    const { deadline, stop } = this.#options;
    const full = this.#options.timeoutMs ?? 300_000;
    const timeout = deadline === undefined ? full : Math.min(full, Math.max(MIN_ATTEMPT_MS, deadline - Date.now()));
    const grace = Math.min(this.#options.stopAttemptMs ?? MIN_ATTEMPT_MS, timeout);
    return abortWindow({
      endsInMs: timeout,
      endsWhy: `no answer within ${timeout} ms`,
      stop,
      graceMs: grace,
      stopWhy: `no answer ${grace} ms after the stop`,
    });
  }

  async #attempt(key: string, file: string, size: number, contentType: string): Promise<void> {
    const body = size <= BUFFERED_UPLOAD_MAX_BYTES ? await readFile(file) : createReadStream(file);
    const { signal, done } = this.#attemptSignal();
    try {
      const command = new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#key(key),
        Body: body,
        ContentLength: size,
        ContentType: contentType,
      });
      await this.#client.send(command, { abortSignal: signal });
    } catch (error) {
      throw signal.aborted ? Object.assign(new Error((signal.reason as Error).message), { name: "TimeoutError", cause: error }) : error;
    } finally {
      done();
    }
  }

  async put(key: string, file: string, options: { contentType?: string } = {}): Promise<string> {
    const size = (await stat(file)).size;
    const contentType = options.contentType ?? "application/zip";
    const answerOf = (error: unknown) => {
      const status = statusOf(error);
      return `${(error as Error).name}: ${(error as Error).message}${status ? ` (HTTP ${status})` : ""}`;
    };
    try {
      await pRetry(
        () =>
          this.#attempt(key, file, size, contentType).catch((error: unknown) => {
            // a rejection (4xx but 408/429) is the store's answer: no retry
            if (isRejected(statusOf(error))) throw new AbortError(this.#failure(key, answerOf(error), statusOf(error), undefined, error));
            throw error;
          }),
        {
          retries: Math.max(1, this.#options.attempts ?? 3) - 1,
          minTimeout: this.#options.minTimeoutMs ?? 500,
          factor: 2,
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft === 0) return;
            const why = whyNoRetry(this.#options.stop, this.#options.deadline);
            if (why) throw this.#failure(key, answerOf(error), statusOf(error), why, error);
            this.#options.onRetry?.({ key, attempt: attemptNumber, error: answerOf(error) });
          },
        },
      );
    } catch (error) {
      throw error instanceof PipelineError ? error : this.#failure(key, answerOf(error), statusOf(error), undefined, error);
    }
    return this.locate(key);
  }

  #failure(key: string, answer: string, status: number | undefined, why: string | undefined, cause: unknown): PipelineError {
    const code = isRejected(status) ? "UPLOAD_REJECTED" : "UPLOAD_FAILED";
    return new PipelineError(code, `upload to ${this.locate(key)} failed: ${answer}${why ? `; not retried: ${why}` : ""}`, {
      hint: "Check the bucket, S3_ENDPOINT / S3_REGION / S3_PROFILE and the worker's IAM permissions.",
      cause,
    });
  }

  /** Release the sockets of the client this store built (a client passed in stays its owner's). */
  async close(): Promise<void> {
    if (this.#ownClient) this.#client.destroy();
  }
}
