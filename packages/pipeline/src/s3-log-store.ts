import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "@mass-ingest/core/aws";
import { PipelineError } from "./errors.js";
import type { LogLayout } from "./log-layout.js";
import type { LogStore } from "./log-store.js";

export interface S3LogStoreOptions {
  /** S3_ENDPOINT: an S3-compatible store or moto (path-style addressing then). */
  endpoint?: string;
  /** S3_REGION (default AWS_REGION / AWS_DEFAULT_REGION, else us-east-1). */
  region?: string;
  /** S3_PROFILE: a named profile of the shared AWS config files. */
  profile?: string;
  /** Use this client instead of building one with `createS3Client` of @mass-ingest/core/aws. */
  client?: S3Client;
}

/**
 * Files up to this size are sent from memory: a buffer body can be retried by the SDK, a stream cannot (the SDK
 * then reports "An error was encountered in a non-retryable streaming request" and gives up on the first error).
 */
const BUFFERED_UPLOAD_MAX_BYTES = 64 * 1024 * 1024;

/** `s3://bucket/prefix` via the AWS SDK (its own retries). */
export class S3LogStore implements LogStore {
  readonly layout: LogLayout = "s3";
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #client: S3Client;
  readonly #ownClient: boolean;

  constructor(url: string, options: S3LogStoreOptions = {}) {
    const u = new URL(url);
    this.#bucket = u.hostname;
    this.#prefix = u.pathname.replace(/^\/+|\/+$/g, "");
    this.#ownClient = options.client === undefined;
    this.#client = options.client ?? createS3Client({ endpoint: options.endpoint, region: options.region, profile: options.profile });
  }

  #key(key: string): string {
    return this.#prefix ? `${this.#prefix}/${key}` : key;
  }

  locate(key: string): string {
    return `s3://${this.#bucket}/${this.#key(key)}`;
  }

  async put(key: string, file: string, options: { contentType?: string } = {}): Promise<string> {
    const size = (await stat(file)).size;
    const body = size <= BUFFERED_UPLOAD_MAX_BYTES ? await readFile(file) : createReadStream(file);
    try {
      await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: this.#key(key),
          Body: body,
          ContentLength: size,
          ContentType: options.contentType ?? "application/zip",
        }),
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const rejected = status !== undefined && status >= 400 && status < 500;
      const answer = `${(error as Error).name}: ${(error as Error).message}${status ? ` (HTTP ${status})` : ""}`;
      throw new PipelineError(rejected ? "UPLOAD_REJECTED" : "UPLOAD_FAILED", `upload to ${this.locate(key)} failed: ${answer}`, {
        hint: "Check the bucket, S3_ENDPOINT / S3_REGION / S3_PROFILE and the worker's IAM permissions.",
        cause: error,
      });
    }
    return this.locate(key);
  }

  /** Release the sockets of the client this store built (a client passed in stays its owner's). */
  async close(): Promise<void> {
    if (this.#ownClient) this.#client.destroy();
  }
}
