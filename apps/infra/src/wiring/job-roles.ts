import type { Construct } from "constructs";
import type { DeploymentContext } from "../context.js";
import { JobRoles } from "../constructs/iam.js";
import { processorSecrets } from "../constructs/job-definitions.js";
import { chunkJobPolicy, executionPolicy, processorJobPolicy } from "../policies.js";

interface RoleInputs {
  readonly logGroupArn: string;
  readonly imageRepositoryArn?: string;
}

const pull = (arn: string | undefined) => (arn === undefined ? {} : { imageRepositoryArn: arn });

/**
 * The processor's roles: the execution role pulls the image, writes logs and reads exactly the configured secrets;
 * the job role reads the csv and writes LSTs when they live in S3.
 */
export function processorRoles(scope: Construct, { config, names, partition, accountId }: DeploymentContext, inputs: RoleInputs): JobRoles {
  const roles = new JobRoles(scope, "processor-roles", {
    job: "processor",
    executionRoleName: names.processorExecutionRole,
    jobRoleName: names.processorJobRole,
    accountId,
    permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
  });
  roles.execution.grant(
    "execution",
    executionPolicy({
      logGroupArn: inputs.logGroupArn,
      secretArns: processorSecrets(config).map((s) => s.valueFrom),
      kmsKeyArns: config.secretsKmsKeyArns,
      ...pull(inputs.imageRepositoryArn),
    }),
  );
  const job = processorJobPolicy({
    partition,
    csv: config.csv,
    additionalCsvs: config.additionalCsvs,
    publishUrl: config.publish.url,
    ...(config.stateUrl === undefined ? {} : { stateUrl: config.stateUrl }),
  });
  if (job !== undefined) roles.job.grant("s3-access", job);
  return roles;
}

/** The chunk job's roles; its job role's policy comes with {@link grantChunkSubmit} once the job definitions exist. */
export function chunkRoles(scope: Construct, { config, names, accountId }: DeploymentContext, inputs: RoleInputs): JobRoles {
  const roles = new JobRoles(scope, "chunk-roles", {
    job: "chunk",
    executionRoleName: names.chunkExecutionRole,
    jobRoleName: names.chunkJobRole,
    accountId,
    permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
  });
  roles.execution.grant(
    "execution",
    executionPolicy({ logGroupArn: inputs.logGroupArn, secretArns: [], kmsKeyArns: [], ...pull(inputs.imageRepositoryArn) }),
  );
  return roles;
}

/** The chunk job role may submit (and tag) processor jobs to this queue, watch jobs and read the csv. */
export function grantChunkSubmit(
  roles: JobRoles,
  { config, partition, region, accountId }: DeploymentContext,
  props: { queueArn: string; processorJobDefinitionArnPrefix: string },
): void {
  roles.job.grant(
    "submit-processor-jobs",
    chunkJobPolicy({
      partition,
      region,
      accountId,
      queueArn: props.queueArn,
      processorJobDefinitionArnPrefix: props.processorJobDefinitionArnPrefix,
      csv: config.csv,
      additionalCsvs: config.additionalCsvs,
      ...(config.stateUrl === undefined ? {} : { stateUrl: config.stateUrl }),
      processorSecretArns: processorSecrets(config).map((s) => s.valueFrom),
    }),
  );
}
