/** The state store under an S3 prefix: PutObject is atomic; conditional writes use If-Match / If-None-Match. */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { awsErrorName, createS3Client, credentialsErrorFrom, parseS3Url, type AwsClientOptions } from "@mass-ingest/core/aws";
import { StateConflictError, StateError } from "../errors.js";
import type { RequestOptions, StateBackend, VersionedText, WriteCondition } from "./backend.js";

export interface S3BackendOptions {
  aws?: AwsClientOptions;
  env?: Readonly<Record<string, string | undefined>>;
}

const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

function isMissing(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === "NoSuchKey" || name === "NotFound" || status(error) === 404;
}

function isPreconditionFailure(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === "PreconditionFailed" || name === "ConditionalRequestConflict" || status(error) === 412 || status(error) === 409;
}

/** A lost conditional write: the record exists already, or changed since it was read. */
function conflictError(location: string, condition: WriteCondition, cause: unknown): StateConflictError {
  const what = condition.ifNoneMatch ? "already exists" : "changed since it was read";
  return new StateConflictError(`${location} ${what} (another writer got there first).`, { hint: "Read it again and retry.", cause });
}

/** The SDK's per-request option for `signal` (aborting the request and its retries). */
const abortable = (options: RequestOptions) => (options.signal ? { abortSignal: options.signal } : {});

/** Why a request was aborted, for its message: ` (given up: <the signal's reason>)`. */
function abortedWhy(signal: AbortSignal | undefined): string {
  if (!signal?.aborted) return "";
  const reason: unknown = signal.reason;
  return ` (given up: ${reason instanceof Error ? reason.message : String(reason)})`;
}

function s3Error(operation: string, location: string, error: unknown, signal?: AbortSignal): Error {
  const credentials = credentialsErrorFrom(error, `${operation} on ${location}`);
  if (credentials) return credentials;
  const message =
    `${operation} on ${location} failed: ${awsErrorName(error) ?? ""} ${(error as Error).message}`.trim() + abortedWhy(signal);
  return new StateError("STATE_IO", message, {
    hint: "Check the bucket and prefix of --state / STATE_URL, the region, and the role's S3 permissions.",
    cause: error,
  });
}

export function s3Backend(url: string, options: S3BackendOptions = {}): StateBackend {
  const parsed = parseS3Url(url);
  if (!parsed)
    throw new StateError("INVALID_SETTING", `"${url}" is not an s3://bucket/prefix location.`, {
      hint: "Write the state location as s3://bucket/prefix.",
    });
  const { bucket, key: prefix } = parsed;
  const client: S3Client = createS3Client(options.aws, options.env);
  const objectKey = (key: string) => (prefix ? `${prefix}/${key}` : key);
  const location = (key: string) => `s3://${bucket}/${objectKey(key)}`;

  async function read(key: string, options: RequestOptions = {}): Promise<VersionedText | undefined> {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }), abortable(options));
      const text = (await out.Body?.transformToString("utf-8")) ?? "";
      return { text, token: out.ETag ?? "" };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw s3Error("s3:GetObject", location(key), error, options.signal);
    }
  }

  async function write(key: string, text: string, condition: WriteCondition = {}, options: RequestOptions = {}): Promise<string> {
    try {
      const out = await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: objectKey(key),
          Body: text,
          // The run report's page opens from an S3 link: it needs its HTML type; every record is JSON.
          ContentType: key.endsWith(".html") ? "text/html; charset=utf-8" : "application/json",
          ...(condition.ifMatch !== undefined ? { IfMatch: condition.ifMatch } : {}),
          ...(condition.ifNoneMatch ? { IfNoneMatch: condition.ifNoneMatch } : {}),
        }),
        abortable(options),
      );
      return out.ETag ?? "";
    } catch (error) {
      if (isPreconditionFailure(error)) throw conflictError(location(key), condition, error);
      throw s3Error("s3:PutObject", location(key), error, options.signal);
    }
  }

  async function list(listPrefix: string): Promise<string[]> {
    const keys: string[] = [];
    const full = objectKey(listPrefix);
    let token: string | undefined;
    try {
      do {
        const out = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: full, ...(token ? { ContinuationToken: token } : {}) }),
        );
        for (const o of out.Contents ?? []) if (o.Key) keys.push(prefix ? o.Key.slice(prefix.length + 1) : o.Key);
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw s3Error("s3:ListObjectsV2", location(listPrefix), error);
    }
    return keys.sort();
  }

  return {
    kind: "s3",
    location,
    read,
    write,
    list,
    async remove(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      } catch (error) {
        throw s3Error("s3:DeleteObject", location(key), error);
      }
    },
    withStateLock: (fn) => fn(),
    close: () => client.destroy(),
  };
}
