import { copyFile, mkdir, rename } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stripUserInfo } from "@mass-ingest/core";
import { PipelineError } from "./errors.js";
import { HttpLogStore, type HttpLogStoreOptions } from "./http-log-store.js";
import type { LogLayout } from "./log-layout.js";
import { S3LogStore, type S3LogStoreOptions } from "./s3-log-store.js";

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
  throw new PipelineError("LOG_STORE_URL_INVALID", `PUBLISH_URL ${stripUserInfo(url)} is not s3://, http(s):// or file://`, {
    hint: "Use the artifact repository URL the CLI publishes to (https://..., s3://bucket/prefix or file:///dir).",
  });
}
