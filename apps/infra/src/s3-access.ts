/**
 * S3 access, least privilege: read exactly the repos.csv object, write LSTs and ingest logs under exactly the
 * publish prefix. Nothing is granted for locations that are not s3:// URLs.
 */
import { parseS3Url } from "@mass-ingest/core/aws";
import type { PolicyStatement } from "./iam-policy.js";

/** Read the repos.csv object when `csv` is an s3:// URL (both the chunker and every processor read it). */
export function csvReadStatements(csv: string, partition: string): PolicyStatement[] {
  const location = parseS3Url(csv);
  if (location === undefined || location.key === "") return [];
  return [
    {
      Sid: "ReadReposCsv",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [`arn:${partition}:s3:::${location.bucket}/${location.key}`],
    },
  ];
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
