import { BatchJobDefinition } from "@cdktf/provider-aws/lib/batch-job-definition/index.js";
import { proxyEnvironment } from "../egress.js";
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
import type { DeploymentConfig } from "../config/schema.js";
import { isFargate } from "./compute.js";
import { containerProperties, retryConditions, type ContainerPropertiesInput } from "./container-properties.js";

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

export interface JobDefinitionsProps {
  readonly config: DeploymentConfig;
  readonly processorName: string;
  /** Name of the larger processor job definition (made only when `processor.largeMemoryMiB` is set). */
  readonly largeProcessorName: string;
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

/** One processor job definition: `PROCESSOR_COMMAND`, the worker environment and secrets, Spot-aware retries. */
function processorDefinition(
  scope: Construct,
  id: string,
  props: JobDefinitionsProps,
  def: {
    name: string;
    memoryMiB: number;
    environment: Record<string, string>;
    platformCapabilities: string[];
    common: Pick<ContainerPropertiesInput, "image" | "logGroupName" | "region" | "computeType" | "assignPublicIp">;
  },
): BatchJobDefinition {
  const { config } = props;
  const type = config.compute.type;
  return new BatchJobDefinition(scope, id, {
    name: def.name,
    type: "container",
    platformCapabilities: def.platformCapabilities,
    propagateTags: true,
    parameters: processorParameters(config),
    containerProperties: JSON.stringify(
      containerProperties({
        ...def.common,
        command: PROCESSOR_COMMAND,
        // root, so that each `mod build` runs as its own unprivileged build user (BUILD_UID_BASE in the image)
        ...(config.processor.isolateBuilds ? { user: "root" } : {}),
        vcpus: config.processor.vcpus,
        memoryMiB: def.memoryMiB,
        jobRoleArn: props.processorRoles.jobRoleArn,
        executionRoleArn: props.processorRoles.executionRoleArn,
        environment: def.environment,
        secrets: processorSecrets(config),
        streamPrefix: "processor",
        ...(isFargate(type) ? { ephemeralStorageGiB: config.compute.rootVolumeGiB } : {}),
      }),
    ),
    retryStrategy: { attempts: config.processor.retryAttempts, evaluateOnExit: retryConditions(type) },
    timeout: { attemptDurationSeconds: config.processor.timeoutSeconds },
  });
}

/**
 * The two job definitions. Processor: `PROCESSOR_COMMAND` with the shared `Ref::` parameters, the worker
 * environment and secrets, Spot-aware retries. Chunk: `mass-ingest-chunker submit` with the queue, processor job
 * definition and partition size wired in through the environment.
 */
export class JobDefinitions extends Construct {
  readonly processor: BatchJobDefinition;
  /** The processor with `processor.largeMemoryMiB` and one build at a time, when set. */
  readonly largeProcessor?: BatchJobDefinition;
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

    const environment = processorEnvironment(config, props.stateUrl);
    const processor = (defId: string, name: string, memoryMiB: number, env: Record<string, string>) =>
      processorDefinition(this, defId, props, { name, memoryMiB, environment: env, platformCapabilities, common });
    this.processor = processor("processor", props.processorName, config.processor.memoryMiB, environment);
    const large = config.processor.largeMemoryMiB;
    // one build at a time: the whole container's memory for the build that ran out of it
    if (large !== undefined) {
      this.largeProcessor = processor("processor-large", props.largeProcessorName, large, {
        ...environment,
        [P.buildConcurrency.name]: "1",
      });
    }

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
            ...(this.largeProcessor ? { [CHUNKER_ENV.largeJobDefinition.name]: this.largeProcessor.arn } : {}),
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
