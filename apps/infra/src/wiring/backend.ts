import { S3Backend } from "cdktf";
import type { TerraformStack } from "cdktf";
import type { DeploymentConfig } from "../config/schema.js";

/** Terraform state in S3 (encrypted, S3-native locking) when `stateBackend` is configured; the local file otherwise. */
export function addStateBackend(stack: TerraformStack, config: DeploymentConfig): void {
  if (config.stateBackend === undefined) return;
  new S3Backend(stack, {
    bucket: config.stateBackend.bucket,
    key: config.stateBackend.key,
    region: config.stateBackend.region ?? config.region,
    encrypt: true,
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
