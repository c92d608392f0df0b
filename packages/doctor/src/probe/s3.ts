import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client, credentialsErrorFrom, parseS3Url, awsErrorName, type AwsClientOptions } from "@mass-ingest/core/aws";
import { probeBody, probeName, type ProbeOutcome } from "./local.js";

/** Write, read back and delete a probe object under `url` (s3://bucket/prefix). */
export async function probeS3(
  url: string,
  what: string,
  aws: AwsClientOptions,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ProbeOutcome> {
  const parsed = parseS3Url(url);
  if (!parsed)
    return { status: "fail", detail: `${what} "${url}" is not an s3://bucket/prefix URL`, fix: `Write ${what} as s3://bucket/prefix.` };
  const name = probeName();
  const key = parsed.key ? `${parsed.key}/${name}` : name;
  const location = `s3://${parsed.bucket}/${key}`;
  const client = createS3Client(aws, env);
  let step = "s3:PutObject";
  try {
    await client.send(new PutObjectCommand({ Bucket: parsed.bucket, Key: key, Body: probeBody(name), ContentType: "text/plain" }));
    step = "s3:GetObject";
    const out = await client.send(new GetObjectCommand({ Bucket: parsed.bucket, Key: key }));
    const back = (await out.Body?.transformToString()) ?? "";
    if (back !== probeBody(name))
      return {
        status: "fail",
        detail: `${location} read back different content`,
        fix: "Check for a proxy or store that rewrites objects.",
      };
    step = "s3:DeleteObject";
    try {
      await client.send(new DeleteObjectCommand({ Bucket: parsed.bucket, Key: key }));
    } catch (error) {
      return {
        status: "warn",
        detail: `write and read work, but ${step} on ${location} failed (${awsErrorName(error) ?? "error"}); the probe object stays`,
        fix: `Allow s3:DeleteObject under ${url}, or delete probe objects by hand.`,
      };
    }
  } catch (error) {
    const credentials = credentialsErrorFrom(error, `${step} on ${location}`);
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return {
      status: "fail",
      detail:
        credentials?.message ?? `${step} on ${location} failed: ${awsErrorName(error) ?? "error"}${status ? ` (HTTP ${status})` : ""}`,
      fix: credentials?.hint ?? `Check the bucket, the region (S3_REGION / AWS_REGION), the endpoint and the role's ${step} permission.`,
    };
  } finally {
    client.destroy();
  }
  return { status: "pass", detail: `${url}: probe object written, read back and deleted` };
}
