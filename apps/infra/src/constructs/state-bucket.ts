import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { Construct } from "constructs";

export interface StateBucketProps {
  readonly bucketName: string;
  /** The state's key prefix ("" = the whole bucket): the lifecycle rule acts on `<prefix>/runs/`. */
  readonly prefix: string;
  /** Run records older than this many days expire. */
  readonly retentionDays: number;
  /** Noncurrent object versions expire after this many days. */
  readonly noncurrentDays: number;
  /** SSE-KMS with this key; SSE-S3 when undefined. */
  readonly kmsKeyArn?: string;
}

/**
 * The run-state bucket: versioned, encrypted (SSE-S3 or the configured KMS key), public access blocked, bucket owner
 * enforced (no ACLs), TLS-only, and a lifecycle rule that expires old run records and noncurrent versions.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    // Terraform never deletes the state with the stack: `destroy` fails on a bucket that still holds objects.
    this.bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName, forceDestroy: false });
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        props.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "policy", { bucket, policy: tlsOnlyPolicy(this.bucket.arn), dependsOn: [publicAccess] });
    const runs = props.prefix === "" ? "runs/" : `${props.prefix}/runs/`;
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        { id: "expire-old-run-records", status: "Enabled", filter: [{ prefix: runs }], expiration: [{ days: props.retentionDays }] },
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
  }
}

/**
 * The bucket policy: deny every request that does not use TLS. (A Deny of `s3:*` is the one wildcard action the
 * stack writes; role policies never have one.)
 */
export function tlsOnlyPolicy(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}
