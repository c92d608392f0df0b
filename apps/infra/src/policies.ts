/**
 * Every IAM policy the stack attaches, as pure functions of ARNs (tokens or literals). No wildcard actions;
 * `Resource: "*"` only for the few actions AWS cannot scope (see `UNSCOPABLE_ACTIONS`).
 */
import { TAGS } from "@mass-ingest/contract";
import { policy, secretResourceArn } from "./iam-policy.js";
import type { PolicyDocument, PolicyStatement } from "./iam-policy.js";
import { csvReadStatements, lstWriteStatements, stateStoreStatements } from "./s3-access.js";
import type { StateLocation } from "./state-location.js";

export interface ExecutionPolicyProps {
  /** ECR repository of the image; undefined for images outside ECR (no pull permissions needed). */
  readonly imageRepositoryArn?: string;
  readonly logGroupArn: string;
  /** Secret ARNs as given to `secrets[].valueFrom` (json-key suffixes allowed); the policy names the secrets. */
  readonly secretArns: readonly string[];
  /** Customer-managed KMS keys of those secrets. */
  readonly kmsKeyArns: readonly string[];
}

/** SSM Parameter Store parameter ARNs among secret references (the rest are Secrets Manager secrets). */
export const isSsmParameter = (arn: string): boolean => /^arn:[^:]+:ssm:/.test(arn);

/**
 * Execution role: pull the image, write the job's logs, and (ECS injects secrets) read exactly the configured
 * secrets: `secretsmanager:GetSecretValue` on the Secrets Manager ones, `ssm:GetParameters` on the SSM
 * parameters, `kms:Decrypt` with the configured keys through those services only.
 */
export function executionPolicy(props: ExecutionPolicyProps): PolicyDocument {
  const statements: PolicyStatement[] = [];
  statements.push(...imagePullStatements(props.imageRepositoryArn));
  statements.push(logStatement(props.logGroupArn));
  const secrets = secretResources(props.secretArns.filter((a) => !isSsmParameter(a)));
  const parameters = secretResources(props.secretArns.filter(isSsmParameter));
  if (secrets.length > 0)
    statements.push({ Sid: "ReadConfiguredSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secrets });
  if (parameters.length > 0)
    statements.push({ Sid: "ReadConfiguredParameters", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: parameters });
  const via = [
    ...(secrets.length > 0 ? ["secretsmanager.*.amazonaws.com"] : []),
    ...(parameters.length > 0 ? ["ssm.*.amazonaws.com"] : []),
  ];
  if (via.length > 0 && props.kmsKeyArns.length > 0)
    statements.push({
      Sid: "DecryptConfiguredSecrets",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [...props.kmsKeyArns],
      Condition: { StringLike: { "kms:ViaService": via.length === 1 ? (via[0] as string) : via } },
    });
  return policy(statements);
}

/** The secrets behind `valueFrom` ARNs (json-key suffixes dropped), each once, sorted. */
function secretResources(valueFroms: readonly string[]): string[] {
  return [...new Set(valueFroms.map(secretResourceArn))].sort();
}

function imagePullStatements(repositoryArn: string | undefined): PolicyStatement[] {
  if (repositoryArn === undefined) return [];
  return [
    { Sid: "EcrAuthorization", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] },
    {
      Sid: "PullWorkerImage",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
      Resource: [repositoryArn],
    },
  ];
}

function logStatement(logGroupArn: string): PolicyStatement {
  return {
    Sid: "WriteJobLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [`${logGroupArn}:*`],
  };
}

export interface ChunkJobPolicyProps {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly queueArn: string;
  /** Processor job definition ARN without `:revision`. */
  readonly processorJobDefinitionArnPrefix: string;
  /** The larger processor job definition without `:revision` (processor.largeMemoryMiB), when there is one. */
  readonly largeProcessorJobDefinitionArnPrefix?: string;
  readonly csv: string;
  /** More csv objects or prefixes a manual run may name. */
  readonly additionalCsvs?: readonly string[];
  /** The run-state store, when there is one. */
  readonly state?: StateLocation;
  /** The processor's secret ARNs: the chunker checks the Secrets Manager ones exist (DescribeSecret: metadata, never the value). */
  readonly processorSecretArns: readonly string[];
  /** The alerts topic the chunker publishes a stopped rollout's alert to, when alerts are on. */
  readonly alertsTopicArn?: string;
}

/** Submit jobs of exactly one job definition (any revision) to exactly one queue. */
function submitJobStatement(sid: string, queueArn: string, jobDefinitionArnPrefix: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: ["batch:SubmitJob"],
    Resource: [queueArn, jobDefinitionArnPrefix, `${jobDefinitionArnPrefix}:*`],
  };
}

/**
 * Chunk job role: check the queue and job definition, submit processor jobs to this queue only, tag them on
 * submit, watch jobs, check the processor's secrets exist, read the csv.
 */
export function chunkJobPolicy(props: ChunkJobPolicyProps): PolicyDocument {
  return policy([
    submitJobStatement("SubmitProcessorJobs", props.queueArn, props.processorJobDefinitionArnPrefix),
    ...(props.largeProcessorJobDefinitionArnPrefix
      ? [submitJobStatement("SubmitLargeProcessorJobs", props.queueArn, props.largeProcessorJobDefinitionArnPrefix)]
      : []),
    {
      Sid: "TagSubmittedJobs",
      Effect: "Allow",
      Action: ["batch:TagResource"],
      Resource: [`arn:${props.partition}:batch:${props.region}:${props.accountId}:job/*`],
      // Tag-on-create: SubmitJob with tags is also authorized as TagResource on the new job. Only our tag keys.
      Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": Object.values(TAGS) } },
    },
    {
      Sid: "WatchJobs",
      Effect: "Allow",
      Action: ["batch:DescribeJobQueues", "batch:DescribeJobDefinitions", "batch:DescribeJobs", "batch:ListJobs"],
      Resource: ["*"],
    },
    ...secretExistenceStatements(props.processorSecretArns),
    ...csvReadStatements(props.csv, props.partition, props.additionalCsvs),
    ...stateStoreStatements(props.state, props.partition, "chunk"),
    ...(props.alertsTopicArn === undefined
      ? []
      : [{ Sid: "PublishAlerts", Effect: "Allow" as const, Action: ["sns:Publish"], Resource: [props.alertsTopicArn] }]),
  ]);
}

function secretExistenceStatements(secretArns: readonly string[]): PolicyStatement[] {
  const secrets = secretResources(secretArns.filter((a) => !isSsmParameter(a)));
  if (secrets.length === 0) return [];
  return [{ Sid: "CheckProcessorSecretsExist", Effect: "Allow", Action: ["secretsmanager:DescribeSecret"], Resource: secrets }];
}

export interface ProcessorJobPolicyProps {
  readonly partition: string;
  readonly csv: string;
  readonly additionalCsvs?: readonly string[];
  readonly publishUrl: string;
  readonly state?: StateLocation;
}

/** Processor job role: read the csv and write LSTs when they live in S3; nothing otherwise (undefined). */
export function processorJobPolicy(props: ProcessorJobPolicyProps): PolicyDocument | undefined {
  const statements = [
    ...csvReadStatements(props.csv, props.partition, props.additionalCsvs),
    ...lstWriteStatements(props.publishUrl, props.partition),
    ...stateStoreStatements(props.state, props.partition, "processor"),
  ];
  return statements.length === 0 ? undefined : policy(statements);
}

/**
 * Report job role: read the state store, write `runs/<run>/report.html|json`, and look up which tasks ran the run's
 * partitions (ListJobs, DescribeJobs: they take no resource) to read each per-task result record (nothing else).
 */
export function reportJobPolicy(props: { partition: string; state: StateLocation }): PolicyDocument {
  return policy([
    ...stateStoreStatements(props.state, props.partition, "report"),
    { Sid: "LookUpRunTasks", Effect: "Allow", Action: ["batch:DescribeJobs", "batch:ListJobs"], Resource: ["*"] },
  ]);
}

/** The run-finished rule's role: submit exactly the report job definition to exactly this queue. */
export function submitReportPolicy(props: { queueArn: string; reportJobDefinitionArnPrefix: string }): PolicyDocument {
  return policy([submitJobStatement("SubmitReportJob", props.queueArn, props.reportJobDefinitionArnPrefix)]);
}

/** Scheduler role: submit exactly the chunk job definition to exactly this queue. */
export function schedulerPolicy(props: { queueArn: string; chunkJobDefinitionArnPrefix: string }): PolicyDocument {
  return policy([submitJobStatement("SubmitChunkJob", props.queueArn, props.chunkJobDefinitionArnPrefix)]);
}

export interface InstancePolicyProps {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Batch names its ECS cluster `<compute environment name>_Batch_<uuid>`. */
  readonly computeEnvironmentName: string;
  readonly imageRepositoryArn?: string;
  readonly logGroupArn: string;
  /** The AWS managed ECS instance policy is attached instead: leave the ECS agent statements out. */
  readonly managedEcsPolicy?: boolean;
}

/**
 * ECS container instance role (EC2/SPOT): what the ECS agent needs, scoped to this compute environment's
 * cluster, instead of the AWS managed AmazonEC2ContainerServiceforEC2Role (which allows `ecs:Submit*` on `*`).
 */
export function instancePolicy(props: InstancePolicyProps): PolicyDocument {
  const ecs = `arn:${props.partition}:ecs:${props.region}:${props.accountId}`;
  const cluster = `${props.computeEnvironmentName}_Batch_*`;
  const agent: PolicyStatement[] = props.managedEcsPolicy
    ? []
    : [
        { Sid: "EcsDiscoverPollEndpoint", Effect: "Allow", Action: ["ecs:DiscoverPollEndpoint"], Resource: ["*"] },
        {
          Sid: "EcsAgent",
          Effect: "Allow",
          Action: [
            "ecs:RegisterContainerInstance",
            "ecs:DeregisterContainerInstance",
            "ecs:Poll",
            "ecs:StartTelemetrySession",
            "ecs:UpdateContainerInstancesState",
            "ecs:SubmitAttachmentStateChanges",
            "ecs:SubmitContainerStateChange",
            "ecs:SubmitTaskStateChange",
          ],
          Resource: [`${ecs}:cluster/${cluster}`, `${ecs}:container-instance/${cluster}/*`],
        },
      ];
  return policy([...agent, ...imagePullStatements(props.imageRepositoryArn), logStatement(props.logGroupArn)]);
}
