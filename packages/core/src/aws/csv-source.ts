import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { MassIngestError } from "../errors.js";
import { redactUrl } from "../url.js";
import { createS3Client, type AwsClientOptions } from "./clients.js";
import { awsErrorName, credentialsErrorFrom } from "./errors.js";
import { requireS3Object } from "./s3-url.js";

/** Where a csv lives: "path", "s3" or "http". */
export function csvLocationKind(location: string): "path" | "s3" | "http" {
  if (/^s3:\/\//i.test(location)) return "s3";
  if (/^https?:\/\//i.test(location)) return "http";
  return "path";
}

/** Clients openCsv may use instead of making its own. */
export interface OpenCsvOptions {
  s3?: S3Client;
  aws?: AwsClientOptions;
  fetch?: typeof fetch;
}

/**
 * Open repos.csv from a path, s3://bucket/key (AWS SDK S3, honours AWS_ENDPOINT_URL / region / profile) or
 * http(s)://. Throws MassIngestError "CSV_NOT_FOUND" / "CSV_UNREADABLE" / "AWS_CREDENTIALS" before returning.
 */
export async function openCsv(location: string, options: OpenCsvOptions = {}): Promise<AsyncIterable<Uint8Array | string>> {
  const kind = csvLocationKind(location);
  if (kind === "path") {
    try {
      const s = await stat(location);
      if (!s.isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new MassIngestError(
        code === "ENOENT" ? "CSV_NOT_FOUND" : "CSV_UNREADABLE",
        `Cannot read repos csv "${location}" (${code ?? "error"}).`,
        {
          hint: "Pass an existing file path, an s3://bucket/key or an http(s):// URL.",
          cause: error,
        },
      );
    }
    return createReadStream(location);
  }
  if (kind === "s3") {
    const { bucket, key } = requireS3Object(location);
    const client = options.s3 ?? createS3Client(options.aws);
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = out.Body;
      if (!body) throw new Error("empty body");
      return body as unknown as AsyncIterable<Uint8Array>;
    } catch (error) {
      const credentials = credentialsErrorFrom(error, `s3:GetObject on ${location}`);
      if (credentials) throw credentials;
      const name = awsErrorName(error);
      const missing = name === "NoSuchKey" || name === "NoSuchBucket" || name === "NotFound";
      throw new MassIngestError(missing ? "CSV_NOT_FOUND" : "CSV_UNREADABLE", `Cannot read repos csv ${location} (${name ?? "error"}).`, {
        hint: missing ? "Check the bucket and key (aws s3 ls) and the region." : "Check network access to S3 and the object's permissions.",
        cause: error,
      });
    }
  }
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(location);
  } catch (error) {
    throw new MassIngestError("CSV_UNREADABLE", `Cannot fetch repos csv ${redactUrl(location)}.`, {
      hint: "Check the URL and network access.",
      cause: error,
    });
  }
  if (!res.ok || !res.body) {
    throw new MassIngestError(
      res.status === 404 ? "CSV_NOT_FOUND" : "CSV_UNREADABLE",
      `Fetching repos csv ${redactUrl(location)} answered HTTP ${res.status}.`,
      {
        hint: res.status === 401 || res.status === 403 ? "The URL needs credentials or a valid signature." : "Check the URL.",
      },
    );
  }
  return Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
}
