import type { Construct } from "constructs";
import type { DeploymentContext } from "../context.js";
import { JobRoles } from "../constructs/iam.js";
import { chunkSecrets, processorSecrets, reportSecrets } from "../constructs/job-definitions.js";
import { chunkJobPolicy, executionPolicy, processorJobPolicy, reportJobPolicy } from "../policies.js";
import type { StateLocation } from "../state-location.js";

interface RoleInputs {
  readonly logGroupArn: string;
  readonly imageRepositoryArn?: string;
  /** The run-state store, when there is one. */
  readonly state?: StateLocation;
}

type Job = "processor" | "chunk" | "report";

const SECRETS: Record<Job, (config: DeploymentContext["config"]) => { valueFrom: string }[]> = {
  processor: processorSecrets,
  chunk: chunkSecrets,
  report: reportSecrets,
};

/**
 * A job's two roles; the execution role pulls the image, writes logs and reads (and decrypts) exactly the secrets
 * the job's definition injects.
 */
function jobRoles(scope: Construct, job: Job, { config, names, accountId }: DeploymentContext, inputs: RoleInputs): JobRoles {
  const roles = new JobRoles(scope, `${job}-roles`, {
    job,
    executionRoleName: names[`${job}ExecutionRole`],
    jobRoleName: names[`${job}JobRole`],
    accountId,
    permissionsBoundaryArn: config.iam.permissionsBoundaryArn,
  });
  roles.execution.grant(
    "execution",
    executionPolicy({
      logGroupArn: inputs.logGroupArn,
      secretArns: SECRETS[job](config).map((s) => s.valueFrom),
      kmsKeyArns: config.secretsKmsKeyArns,
      ...(inputs.imageRepositoryArn === undefined ? {} : { imageRepositoryArn: inputs.imageRepositoryArn }),
    }),
  );
  return roles;
}

/**
 * The processor's roles: the execution role pulls the image, writes logs and reads exactly the configured secrets;
 * the job role reads the csv and writes LSTs when they live in S3.
 */
export function processorRoles(scope: Construct, context: DeploymentContext, inputs: RoleInputs): JobRoles {
  const roles = jobRoles(scope, "processor", context, inputs);
  const { config, partition } = context;
  const job = processorJobPolicy({
    partition,
    csv: config.csv,
    additionalCsvs: config.additionalCsvs,
    publishUrl: config.publish.url,
    ...(inputs.state === undefined ? {} : { state: inputs.state }),
  });
  if (job !== undefined) roles.job.grant("s3-access", job);
  return roles;
}

/**
 * The chunk job's roles: the execution role injects exactly the chunk job's secrets (git credentials, CA_CERTS);
 * the job role's policy comes with {@link grantChunkSubmit} once the job definitions exist (it never reads secret
 * values itself).
 */
export function chunkRoles(scope: Construct, context: DeploymentContext, inputs: RoleInputs): JobRoles {
  return jobRoles(scope, "chunk", context, inputs);
}

/** The report job's roles: execution as the others (CA_CERTS only); the job role reads the state, writes reports. */
export function reportRoles(scope: Construct, context: DeploymentContext, inputs: RoleInputs & { state: StateLocation }): JobRoles {
  const roles = jobRoles(scope, "report", context, inputs);
  roles.job.grant("state-store", reportJobPolicy({ partition: context.partition, state: inputs.state }));
  return roles;
}

/** The alerts topic's ARN by name, when alerts are on: the chunk job publishes a stopped rollout's alert to it. */
export function alertsTopic({ config, partition, region, accountId, names }: DeploymentContext): { alertsTopicArn?: string } {
  return config.alerts.enabled ? { alertsTopicArn: `arn:${partition}:sns:${region}:${accountId}:${names.alertsTopic}` } : {};
}

/** The chunk job role may submit (and tag) processor jobs to this queue, watch jobs and read the csv (and alert). */
export function grantChunkSubmit(
  roles: JobRoles,
  context: DeploymentContext,
  props: {
    queueArn: string;
    processorJobDefinitionArnPrefix: string;
    largeProcessorJobDefinitionArnPrefix?: string;
    state?: StateLocation;
  },
): void {
  const { config, partition, region, accountId } = context;
  roles.job.grant(
    "submit-processor-jobs",
    chunkJobPolicy({
      partition,
      region,
      accountId,
      queueArn: props.queueArn,
      processorJobDefinitionArnPrefix: props.processorJobDefinitionArnPrefix,
      ...(props.largeProcessorJobDefinitionArnPrefix
        ? { largeProcessorJobDefinitionArnPrefix: props.largeProcessorJobDefinitionArnPrefix }
        : {}),
      csv: config.csv,
      additionalCsvs: config.additionalCsvs,
      ...(props.state === undefined ? {} : { state: props.state }),
      ...alertsTopic(context),
      processorSecretArns: processorSecrets(config).map((s) => s.valueFrom),
    }),
  );
}
