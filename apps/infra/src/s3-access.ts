/**
 * S3 access, least privilege: read exactly the repos.csv object, write LSTs and ingest logs under exactly the
 * publish prefix. Nothing is granted for locations that are not s3:// URLs.
 */
import { parseS3Url } from "@mass-ingest/core/aws";
import type { PolicyStatement } from "./iam-policy.js";

/**
 * Read the repos.csv object when `csv` is an s3:// URL (both the chunker and every processor read it), and the
 * `additional` csv objects a manual run may name (`s3://bucket/prefix/` = every object under that prefix).
 */
export function csvReadStatements(csv: string, partition: string, additional: readonly string[] = []): PolicyStatement[] {
  const resources = [csv, ...additional].flatMap((url) => {
    const location = parseS3Url(url);
    if (location === undefined || location.key === "") return [];
    const key = url.endsWith("/") ? `${location.key}/*` : location.key;
    return [`arn:${partition}:s3:::${location.bucket}/${key}`];
  });
  if (resources.length === 0) return [];
  return [{ Sid: "ReadReposCsv", Effect: "Allow", Action: ["s3:GetObject"], Resource: [...new Set(resources)] }];
}

/**
 * Write LSTs and ingest logs (`<prefix>/.logs/...`) under the publish prefix when `publishUrl` is an s3:// URL;
 * list only that prefix (the Moderne CLI checks what is already published).
 */
export function lstWriteStatements(publishUrl: string, partition: string): PolicyStatement[] {
  const location = parseS3Url(publishUrl);
  if (location === undefined) return [];
  const bucketArn = `arn:${partition}:s3:::${location.bucket}`;
  const objects = location.key === "" ? `${bucketArn}/*` : `${bucketArn}/${location.key}/*`;
  return [
    {
      Sid: "WriteLsts",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
      Resource: [objects],
    },
    {
      Sid: "ListLstPrefix",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [bucketArn],
      ...(location.key === "" ? {} : { Condition: { StringLike: { "s3:prefix": [`${location.key}/*`, location.key] } } }),
    },
  ];
}

/**
 * The run-state store under `stateUrl` (s3://bucket/prefix): read, write (conditional puts) and delete (lock
 * files) objects under the prefix, and list only that prefix. Nothing when no state store is configured.
 */
export function stateStoreStatements(stateUrl: string | undefined, partition: string): PolicyStatement[] {
  const location = stateUrl === undefined ? undefined : parseS3Url(stateUrl);
  if (location === undefined) return [];
  const bucketArn = `arn:${partition}:s3:::${location.bucket}`;
  return [
    {
      Sid: "ReadWriteStateStore",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: [location.key === "" ? `${bucketArn}/*` : `${bucketArn}/${location.key}/*`],
    },
    {
      Sid: "ListStateStore",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [bucketArn],
      ...(location.key === "" ? {} : { Condition: { StringLike: { "s3:prefix": [`${location.key}/*`, location.key] } } }),
    },
  ];
}
