import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { DeploymentConfig } from "./config/schema.js";
import type { DeploymentContext } from "./context.js";
import { Alerts } from "./constructs/alerts.js";
import { Compute, isFargate } from "./constructs/compute.js";
import { BatchServiceLinkedRole, InstanceRole, JobRoles } from "./constructs/iam.js";
import { ImageRepository } from "./constructs/image-repository.js";
import { JobDefinitions, processorSecrets } from "./constructs/job-definitions.js";
import { Logs } from "./constructs/logs.js";
import { Network } from "./constructs/network.js";
import { Queue } from "./constructs/queue.js";
import { Schedule } from "./constructs/schedule.js";
import { partitionOf } from "./iam-policy.js";
import { resourceNames } from "./names.js";
import { chunkJobPolicy, executionPolicy, instancePolicy, processorJobPolicy } from "./policies.js";

/** Tag every resource of a deployment carries (besides the configured tags). */
export const DEPLOYMENT_TAG = "mass-ingest:deployment";

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)$/;

/**
 * The whole AWS deployment of mass-ingest for one environment: network, logs, image repository, IAM, compute,
 * queue, job definitions, schedule and alerts, every name derived from `config.name`.
 */
export class MassIngestStack extends TerraformStack {
  readonly context: DeploymentContext;
  readonly network: Network;
  readonly logs: Logs;
  readonly imageRepository?: ImageRepository;
  readonly compute: Compute;
  readonly queue: Queue;
  readonly jobs: JobDefinitions;
  readonly processorRoles: JobRoles;
  readonly chunkRoles: JobRoles;
  readonly instanceRole?: InstanceRole;
  readonly serviceLinkedRole?: BatchServiceLinkedRole;
  readonly schedule: Schedule;
  readonly alerts?: Alerts;

  constructor(scope: Construct, id: string, config: DeploymentConfig) {
    super(scope, id);
    const names = resourceNames(config.name);
    const tags = { ...config.tags, [DEPLOYMENT_TAG]: config.name };

    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags }] });
    if (config.stateBackend !== undefined) {
      new S3Backend(this, {
        bucket: config.stateBackend.bucket,
        key: config.stateBackend.key,
        region: config.stateBackend.region ?? config.region,
        encrypt: true,
      });
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    }
    const identity = new DataAwsCallerIdentity(this, "identity");
    const partition = partitionOf(config.region);
    const context: DeploymentContext = { config, names, partition, region: config.region, accountId: identity.accountId, tags };
    this.context = context;
    const permissionsBoundaryArn = config.iam.permissionsBoundaryArn;

    this.network = new Network(this, "network", {
      name: names.securityGroup,
      vpcId: config.vpcId,
      metricsPort: config.network.metricsPort,
      metricsCidr: config.network.metricsCidr,
    });
    this.logs = new Logs(this, "logs", { name: names.logGroup, retentionDays: config.logs.retentionDays });

    // The image: a repository this stack creates, or the one configured.
    let image: string;
    let imageRepositoryArn: string | undefined;
    if (config.ecr.create) {
      this.imageRepository = new ImageRepository(this, "image-repository", { name: names.imageRepository, ...config.ecr });
      image = `${this.imageRepository.repository.repositoryUrl}:${config.image.tag}`;
      imageRepositoryArn = this.imageRepository.repository.arn;
    } else {
      const repository = config.image.repository as string; // the schema requires it when ecr.create is false
      image = `${repository}:${config.image.tag}`;
      const ecr = ECR_IMAGE.exec(repository);
      if (ecr !== null) imageRepositoryArn = `arn:${partitionOf(ecr[2] as string)}:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[3]}`;
    }
    const pull = imageRepositoryArn === undefined ? {} : { imageRepositoryArn };

    // Compute: the service-linked role when asked, the instance role for EC2/SPOT, then the compute environment.
    const computeDependsOn: ITerraformDependable[] = [];
    if (config.compute.createServiceLinkedRole) {
      this.serviceLinkedRole = new BatchServiceLinkedRole(this, "batch-service-linked-role");
      computeDependsOn.push(this.serviceLinkedRole.role);
    }
    let instanceProfileArn: string | undefined;
    if (!isFargate(config.compute.type)) {
      const managed = config.iam.managedInstancePolicy;
      this.instanceRole = new InstanceRole(this, "instance-role", {
        name: names.instanceRole,
        permissionsBoundaryArn,
        ...(managed ? { managedPolicyArn: `arn:${partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role` } : {}),
      });
      if (this.instanceRole.managedPolicy !== undefined) computeDependsOn.push(this.instanceRole.managedPolicy);
      computeDependsOn.push(
        this.instanceRole.role.grant(
          "ecs-agent",
          instancePolicy({
            partition,
            region: config.region,
            accountId: identity.accountId,
            computeEnvironmentName: names.computeEnvironment,
            logGroupArn: this.logs.logGroup.arn,
            managedEcsPolicy: managed,
            ...pull,
          }),
        ),
      );
      instanceProfileArn = this.instanceRole.profile.arn;
    }
    this.compute = new Compute(this, "compute", {
      computeEnvironmentName: names.computeEnvironment,
      launchTemplateName: names.launchTemplate,
      ...config.compute,
      subnetIds: config.subnetIds,
      securityGroupIds: [this.network.securityGroup.id],
      instanceProfileArn,
      tags,
      dependsOn: computeDependsOn,
    });
    this.queue = new Queue(this, "queue", {
      name: names.jobQueue,
      computeEnvironmentArn: this.compute.computeEnvironment.arn,
    });

    // Roles of the two job definitions.
    const kmsKeyArns = config.secretsKmsKeyArns;
    const processorSecretArns = processorSecrets(config).map((s) => s.valueFrom);
    this.processorRoles = new JobRoles(this, "processor-roles", {
      job: "processor",
      executionRoleName: names.processorExecutionRole,
      jobRoleName: names.processorJobRole,
      accountId: identity.accountId,
      permissionsBoundaryArn,
    });
    this.processorRoles.execution.grant(
      "execution",
      executionPolicy({
        logGroupArn: this.logs.logGroup.arn,
        secretArns: processorSecretArns,
        kmsKeyArns,
        ...pull,
      }),
    );
    const processorJob = processorJobPolicy({ partition, csv: config.csv, publishUrl: config.publish.url });
    if (processorJob !== undefined) this.processorRoles.job.grant("s3-access", processorJob);

    this.chunkRoles = new JobRoles(this, "chunk-roles", {
      job: "chunk",
      executionRoleName: names.chunkExecutionRole,
      jobRoleName: names.chunkJobRole,
      accountId: identity.accountId,
      permissionsBoundaryArn,
    });
    this.chunkRoles.execution.grant(
      "execution",
      executionPolicy({ logGroupArn: this.logs.logGroup.arn, secretArns: [], kmsKeyArns: [], ...pull }),
    );

    this.jobs = new JobDefinitions(this, "jobs", {
      config,
      processorName: names.processorJobDefinition,
      chunkName: names.chunkJobDefinition,
      image,
      logGroupName: this.logs.logGroup.name,
      processorRoles: { executionRoleArn: this.processorRoles.execution.arn, jobRoleArn: this.processorRoles.job.arn },
      chunkRoles: { executionRoleArn: this.chunkRoles.execution.arn, jobRoleArn: this.chunkRoles.job.arn },
      queueArn: this.queue.jobQueue.arn,
      processorJobName: names.processorJobName,
    });
    this.chunkRoles.job.grant(
      "submit-processor-jobs",
      chunkJobPolicy({
        partition,
        region: config.region,
        accountId: identity.accountId,
        queueArn: this.queue.jobQueue.arn,
        processorJobDefinitionArnPrefix: this.jobs.processor.arnPrefix,
        csv: config.csv,
        processorSecretArns,
      }),
    );

    this.schedule = new Schedule(this, "schedule", {
      name: names.schedule,
      roleName: names.schedulerRole,
      enabled: config.schedule.enabled,
      expression: config.schedule.expression,
      timezone: config.schedule.timezone,
      queueArn: this.queue.jobQueue.arn,
      chunkJobDefinitionArn: this.jobs.chunk.arn,
      chunkJobDefinitionArnPrefix: this.jobs.chunk.arnPrefix,
      chunkJobName: names.chunkJobName,
      accountId: identity.accountId,
      permissionsBoundaryArn,
    });

    if (config.alerts.enabled) {
      this.alerts = new Alerts(this, "alerts", {
        topicName: names.alertsTopic,
        ruleName: names.alertsRule,
        queueArn: this.queue.jobQueue.arn,
        email: config.alerts.email,
      });
    }

    new TerraformOutput(this, "job_queue_arn", { value: this.queue.jobQueue.arn, description: "Batch job queue ARN" });
    new TerraformOutput(this, "processor_job_definition_arn", { value: this.jobs.processor.arn, description: "processor job definition ARN" });
    new TerraformOutput(this, "chunk_job_definition_arn", { value: this.jobs.chunk.arn, description: "chunk job definition ARN" });
    new TerraformOutput(this, "log_group_name", { value: this.logs.logGroup.name, description: "CloudWatch log group of both jobs" });
    new TerraformOutput(this, "schedule_arn", { value: this.schedule.schedule.arn, description: "EventBridge Scheduler schedule ARN" });
    new TerraformOutput(this, "image_uri", { value: image, description: "image URI the job definitions run" });
    if (this.imageRepository !== undefined)
      new TerraformOutput(this, "image_repository_url", { value: this.imageRepository.repository.repositoryUrl, description: "ECR repository URL: push the worker image here" });
    if (this.alerts !== undefined)
      new TerraformOutput(this, "alerts_topic_arn", { value: this.alerts.topic.arn, description: "SNS topic of failed jobs" });
  }
}
