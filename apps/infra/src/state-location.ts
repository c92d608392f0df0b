/**
 * Where the run-state store lives on AWS: the bucket the stack creates (`state`, the default) or the one `stateUrl`
 * names, as bucket + prefix (the bucket name may hold a Terraform reference to the account id).
 */
import { parseS3Url } from "@mass-ingest/core/aws";
import type { DeploymentConfig } from "./config/schema.js";

export interface StateLocation {
  readonly bucket: string;
  /** Key prefix without leading or trailing "/"; "" = the whole bucket. */
  readonly prefix: string;
  /** STATE_URL of the jobs: s3://bucket/prefix. */
  readonly url: string;
  /** True when this stack creates the bucket. */
  readonly created: boolean;
  /** The customer-managed key that encrypts the objects (created buckets with `state.kmsKeyArn`). */
  readonly kmsKeyArn?: string;
}

/** The default name of the created state bucket: `<name>-state-<account id>` (at most 51 characters). */
export const defaultStateBucketName = (name: string, accountId: string): string => `${name}-state-${accountId}`;

/** The state store of a deployment, or undefined when it keeps none on AWS (`state.create: false`, no `stateUrl`). */
export function stateLocation(config: DeploymentConfig, accountId: string): StateLocation | undefined {
  if (config.stateUrl !== undefined) {
    const parsed = parseS3Url(config.stateUrl);
    if (parsed === undefined) return undefined; // the schema only lets s3:// URLs through
    return { bucket: parsed.bucket, prefix: parsed.key, url: config.stateUrl, created: false };
  }
  if (config.state.create === false) return undefined;
  const bucket = config.state.bucketName ?? defaultStateBucketName(config.name, config.accountId ?? accountId);
  const prefix = config.state.prefix;
  return {
    bucket,
    prefix,
    url: `s3://${bucket}/${prefix}`,
    created: true,
    ...(config.state.kmsKeyArn === undefined ? {} : { kmsKeyArn: config.state.kmsKeyArn }),
  };
}

/** The key of `sub` (e.g. `runs/`) below the state prefix. */
export const stateKey = (location: Pick<StateLocation, "prefix">, sub: string): string =>
  location.prefix === "" ? sub : `${location.prefix}/${sub}`;

/** The object ARN (pattern) of `sub` below the state prefix. */
export const stateObjectArn = (location: Pick<StateLocation, "bucket" | "prefix">, partition: string, sub: string): string =>
  `arn:${partition}:s3:::${location.bucket}/${stateKey(location, sub)}`;
