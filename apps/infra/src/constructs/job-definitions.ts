import { BatchJobDefinition } from "@cdktf/provider-aws/lib/batch-job-definition/index.js";
import { proxyEnvironment } from "../egress.js";
import type { BatchJobDefinitionRetryStrategyEvaluateOnExit } from "@cdktf/provider-aws/lib/batch-job-definition/index.js";
import {
  BUILD_MEMORY_MIB,
  CHUNK_COMMAND,
  CHUNKER_ENV,
  DEFAULTS,
  deriveBuildConcurrency,
  PROCESSOR_COMMAND,
  PROCESSOR_ENV,
  PROCESSOR_PARAMETER_DEFAULTS,
  PROCESSOR_PARAMETERS,
} from "@mass-ingest/contract";
import { Construct } from "constructs";
import type { ComputeType, DeploymentConfig } from "../config/schema.js";
import { isFargate } from "./compute.js";

/** The worker image's work directory (the Dockerfile sets the same): `DEFAULTS.imageDataDir` of the contract. */
export const DATA_DIR = DEFAULTS.imageDataDir;

const P = PROCESSOR_ENV;

/** Which secret ARN field feeds which environment variable of the processor (names from `PROCESSOR_ENV` of @mass-ingest/contract). */
export function processorSecrets(config: DeploymentConfig): { name: string; valueFrom: string }[] {
  const pairs: [string, string | undefined][] = [
    [P.tenantToken.name, config.moderne.tokenSecretArn],
    [P.gitCredentials.name, config.git.credentialsSecretArn],
    [P.gitSshCredentials.name, config.git.sshKeySecretArn],
    [P.publishUser.name, config.publish.userSecretArn],
    [P.publishPassword.name, config.publish.passwordSecretArn],
    [P.publishToken.name, config.publish.tokenSecretArn],
    [P.caCerts.name, config.caCertsSecretArn],
  ];
  return secretList(pairs);
}

const secretList = (pairs: [string, string | undefined][]): { name: string; valueFrom: string }[] =>
  pairs.filter((p): p is [string, string] => p[1] !== undefined).map(([name, valueFrom]) => ({ name, valueFrom }));

/**
 * The chunk job's secrets: exactly the git credentials the processors use (its ls-remote pass) and CA_CERTS (the
 * image's entrypoint imports it: ls-remote over https to hosts with a corporate CA). Nothing else.
 */
export function chunkSecrets(config: DeploymentConfig): { name: string; valueFrom: string }[] {
  return secretList([
    [CHUNKER_ENV.gitCredentials.name, config.git.credentialsSecretArn],
    [CHUNKER_ENV.gitSshCredentials.name, config.git.sshKeySecretArn],
    [P.caCerts.name, config.caCertsSecretArn],
  ]);
}

/** The report job's secrets: only CA_CERTS (S3 through a TLS-inspecting proxy). */
export function reportSecrets(config: DeploymentConfig): { name: string; valueFrom: string }[] {
  return secretList([[P.caCerts.name, config.caCertsSecretArn]]);
}

/** MiB of container memory per concurrent build (the contract's BUILD_MEMORY_MIB). */
export const MEMORY_MIB_PER_BUILD = BUILD_MEMORY_MIB;

/**
 * The default BUILD_CONCURRENCY for a container of `memoryMiB`: the contract's deriveBuildConcurrency, the same
 * rule the processor applies when nothing sets the variable (one build per 8 GiB, or per 2 x -Xmx of
 * `modJavaOptions` when more; at least 1).
 */
export function defaultBuildConcurrency(memoryMiB: number, modJavaOptions?: string): number {
  return deriveBuildConcurrency(memoryMiB, modJavaOptions).build;
}

/**
 * The processor's plain environment: only what is configured, plus the stack-managed values. BUILD_CONCURRENCY
 * defaults to {@link defaultBuildConcurrency} of the container's memory unless `processor.environment` sets it.
 */
export function processorEnvironment(config: DeploymentConfig, stateUrl: string | undefined = config.stateUrl): Record<string, string> {
  const env: Record<string, string | undefined> = {
    [P.buildConcurrency.name]: String(defaultBuildConcurrency(config.processor.memoryMiB, config.processor.modJavaOptions)),
    [P.modJavaOptions.name]: config.processor.modJavaOptions,
    ...proxyEnvironment(config),
    ...config.processor.environment,
    [P.awsRegion.name]: config.region,
    [P.dataDir.name]: DATA_DIR,
    [P.publishUrl.name]: config.publish.url,
    [P.tenant.name]: config.moderne.tenant,
    [P.s3Endpoint.name]: config.s3.endpoint,
    [P.s3Region.name]: config.s3.region ?? (config.publish.url.startsWith("s3://") ? config.region : undefined),
    [P.s3Profile.name]: config.s3.profile,
    [P.buildTimeout.name]: String(config.processor.buildTimeoutSeconds),
    // the job definition's attempt timeout: the processor's run deadline is its start plus this
    [P.jobTimeout.name]: String(config.processor.timeoutSeconds),
    [P.batchSize.name]: config.processor.batchSize === undefined ? undefined : String(config.processor.batchSize),
    [P.monitorPort.name]: config.network.metricsPort === undefined ? undefined : String(config.network.metricsPort),
    [P.stateUrl.name]: stateUrl,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The processor job definition's parameter defaults: the shared defaults with this deployment's csv and size. */
export function processorParameters(config: DeploymentConfig): Record<string, string> {
  return {
    ...PROCESSOR_PARAMETER_DEFAULTS,
    [PROCESSOR_PARAMETERS.csv]: config.csv,
    [PROCESSOR_PARAMETERS.partitionSize]: String(config.partitionSize),
  };
}

/**
 * Retry what the infrastructure broke (Spot reclaims and instance failures: status reason `Host EC2*`, and Fargate
 * Spot interruptions), exit on everything else: an application failure would fail again.
 */
export function retryConditions(type: ComputeType): BatchJobDefinitionRetryStrategyEvaluateOnExit[] {
  return [
    { action: "RETRY", onStatusReason: "Host EC2*" },
    ...(type === "FARGATE_SPOT" ? [{ action: "RETRY", onStatusReason: "Your Spot Task was interrupted*" }] : []),
    { action: "EXIT", onReason: "*" },
  ];
}

export interface ContainerPropertiesInput {
  readonly image: string;
  readonly command: readonly string[];
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly jobRoleArn: string;
  readonly executionRoleArn: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly { name: string; valueFrom: string }[];
  readonly logGroupName: string;
  readonly region: string;
  readonly streamPrefix: string;
  readonly computeType: ComputeType;
  readonly assignPublicIp: boolean;
  /** Fargate ephemeral storage in GiB (processor only). */
  readonly ephemeralStorageGiB?: number;
  /** The container's user (the processor: root, so that each build drops to its own build user; docs/security.md). */
  readonly user?: string;
}

/** Batch `containerProperties` (the JSON the job definition carries). */
export function containerProperties(input: ContainerPropertiesInput): Record<string, unknown> {
  const props: Record<string, unknown> = {
    image: input.image,
    command: [...input.command],
    jobRoleArn: input.jobRoleArn,
    executionRoleArn: input.executionRoleArn,
    resourceRequirements: [
      { type: "VCPU", value: String(input.vcpus) },
      { type: "MEMORY", value: String(input.memoryMiB) },
    ],
    environment: Object.keys(input.environment)
      .sort()
      .map((name) => ({ name, value: input.environment[name] as string })),
    // Empty lists are left out: AWS drops them and Terraform would show a diff on every plan.
    ...(input.secrets.length > 0 ? { secrets: [...input.secrets] } : {}),
    ...(input.user ? { user: input.user } : {}),
    // tini-style init: signals reach the app, and the build's process tree is reaped.
    linuxParameters: { initProcessEnabled: true },
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": input.logGroupName,
        "awslogs-region": input.region,
        "awslogs-stream-prefix": input.streamPrefix,
      },
    },
  };
  if (isFargate(input.computeType)) {
    props.networkConfiguration = { assignPublicIp: input.assignPublicIp ? "ENABLED" : "DISABLED" };
    props.fargatePlatformConfiguration = { platformVersion: "LATEST" };
    props.runtimePlatform = { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" };
    if (input.ephemeralStorageGiB !== undefined) props.ephemeralStorage = { sizeInGiB: input.ephemeralStorageGiB };
  }
  return props;
}

export interface JobDefinitionsProps {
  readonly config: DeploymentConfig;
  readonly processorName: string;
  readonly chunkName: string;
  /** Image URI with tag. */
  readonly image: string;
  readonly logGroupName: string;
  readonly processorRoles: { readonly executionRoleArn: string; readonly jobRoleArn: string };
  readonly chunkRoles: { readonly executionRoleArn: string; readonly jobRoleArn: string };
  /** Queue the chunker submits processor jobs to. */
  readonly queueArn: string;
  /** Job name the chunker gives the processor jobs. */
  readonly processorJobName: string;
  /** STATE_URL of both jobs, when there is a state store. */
  readonly stateUrl?: string;
  /** ALERTS_TOPIC_ARN of the chunk job (a stopped rollout's alert), when alerts are on. */
  readonly alertsTopicArn?: string;
}

/**
 * The two job definitions. Processor: `PROCESSOR_COMMAND` with the shared `Ref::` parameters, the worker
 * environment and secrets, Spot-aware retries. Chunk: `mass-ingest-chunker submit` with the queue, processor job
 * definition and partition size wired in through the environment.
 */
export class JobDefinitions extends Construct {
  readonly processor: BatchJobDefinition;
  readonly chunk: BatchJobDefinition;

  constructor(scope: Construct, id: string, props: JobDefinitionsProps) {
    super(scope, id);
    const { config } = props;
    const type = config.compute.type;
    const platformCapabilities = [isFargate(type) ? "FARGATE" : "EC2"];
    const common = {
      image: props.image,
      logGroupName: props.logGroupName,
      region: config.region,
      computeType: type,
      assignPublicIp: config.compute.assignPublicIp,
    };

    this.processor = new BatchJobDefinition(this, "processor", {
      name: props.processorName,
      type: "container",
      platformCapabilities,
      propagateTags: true,
      parameters: processorParameters(config),
      containerProperties: JSON.stringify(
        containerProperties({
          ...common,
          command: PROCESSOR_COMMAND,
          // root, so that each `mod build` runs as its own unprivileged build user (BUILD_UID_BASE in the image)
          ...(config.processor.isolateBuilds ? { user: "root" } : {}),
          vcpus: config.processor.vcpus,
          memoryMiB: config.processor.memoryMiB,
          jobRoleArn: props.processorRoles.jobRoleArn,
          executionRoleArn: props.processorRoles.executionRoleArn,
          environment: processorEnvironment(config, props.stateUrl),
          secrets: processorSecrets(config),
          streamPrefix: "processor",
          ...(isFargate(type) ? { ephemeralStorageGiB: config.compute.rootVolumeGiB } : {}),
        }),
      ),
      retryStrategy: { attempts: config.processor.retryAttempts, evaluateOnExit: retryConditions(type) },
      timeout: { attemptDurationSeconds: config.processor.timeoutSeconds },
    });

    this.chunk = new BatchJobDefinition(this, "chunk", {
      name: props.chunkName,
      type: "container",
      platformCapabilities,
      propagateTags: true,
      parameters: {
        [PROCESSOR_PARAMETERS.csv]: config.csv,
        [PROCESSOR_PARAMETERS.partitionSize]: String(config.partitionSize),
      },
      containerProperties: JSON.stringify(
        containerProperties({
          ...common,
          command: CHUNK_COMMAND,
          vcpus: config.chunker.vcpus,
          memoryMiB: config.chunker.memoryMiB,
          jobRoleArn: props.chunkRoles.jobRoleArn,
          executionRoleArn: props.chunkRoles.executionRoleArn,
          environment: {
            ...proxyEnvironment(config),
            [CHUNKER_ENV.awsRegion.name]: config.region,
            [CHUNKER_ENV.jobQueue.name]: props.queueArn,
            [CHUNKER_ENV.jobDefinition.name]: this.processor.arn,
            [CHUNKER_ENV.jobName.name]: props.processorJobName,
            [CHUNKER_ENV.partitionSize.name]: String(config.partitionSize),
            ...(props.stateUrl === undefined ? {} : { [CHUNKER_ENV.stateUrl.name]: props.stateUrl }),
            ...(props.alertsTopicArn === undefined ? {} : { [CHUNKER_ENV.alertsTopicArn.name]: props.alertsTopicArn }),
          },
          secrets: chunkSecrets(config),
          streamPrefix: "chunk",
        }),
      ),
      retryStrategy: { attempts: config.chunker.retryAttempts, evaluateOnExit: retryConditions(type) },
      timeout: { attemptDurationSeconds: config.chunker.timeoutSeconds },
    });
  }
}
